// Issue #14 item 2: 40 simultaneous wrong passwords for one account must not get more than the
// throttle's 10 checks against the hash (the check and the record used to be separate steps, so
// concurrent attempts all passed the check before any was recorded).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { loginAttempts } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { THROTTLE_MAX_FAILURES } from "@/lib/auth/throttle";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { createUser } from "@/lib/auth/users";

const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/auth/password")>();
  return {
    ...actual,
    verifyPassword: async (hash: string, password: string) => {
      verifications.count++;
      return actual.verifyPassword(hash, password);
    },
  };
});

const system = { kind: "system", label: "test" } as const;
const PASSWORD = "violet staple mountain 42";

describe.each(testDbKinds)("login throttle under concurrency on %s", (kind) => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await createUser(system, { email: "target@example.test", role: "admin", password: PASSWORD });
  });
  afterAll(() => handle?.close());

  it("checks at most 10 of 40 simultaneous wrong passwords for one account against the hash", async () => {
    await handle.db.delete(loginAttempts);
    verifications.count = 0;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signInWithPassword("target@example.test", `wrong guess ${i}`, `198.51.100.${i + 1}`)),
    );
    expect(verifications.count).toBe(THROTTLE_MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(THROTTLE_MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(40 - THROTTLE_MAX_FAILURES);
    // The right password is refused too while the account is throttled, without a hash check.
    const late = await signInWithPassword("target@example.test", PASSWORD, "198.51.100.99");
    expect(late).toMatchObject({ ok: false, reason: "throttled" });
    expect(verifications.count).toBe(THROTTLE_MAX_FAILURES);
  });

  it("checks at most 10 of 40 simultaneous guesses from one address spread over many accounts", async () => {
    await handle.db.delete(loginAttempts);
    verifications.count = 0;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signInWithPassword(`someone${i}@example.test`, "wrong guess", "203.0.113.7")),
    );
    expect(verifications.count).toBe(THROTTLE_MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(40 - THROTTLE_MAX_FAILURES);
  });

  it("still lets the owner in with the right password, and a success counts as one", async () => {
    await handle.db.delete(loginAttempts);
    verifications.count = 0;
    const result = await signInWithPassword("target@example.test", PASSWORD, "192.0.2.10");
    expect(result).toMatchObject({ ok: true });
    const rows = await handle.db.select().from(loginAttempts);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: "target@example.test", ip: "192.0.2.10", success: true });
  });
});
