import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { loginAttempts, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "./actor";
import { signInWithPassword, signInWithSso } from "./sign-in";
import { THROTTLE_MAX_FAILURES, checkLoginThrottle } from "./throttle";
import { createUser, setUserDisabled } from "./users";

const system = { kind: "system", label: "test" } as const;
const PASSWORD = "violet staple mountain 42";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe.each(testDbKinds)("sign-in on %s", (kind) => {
  let handle: DbHandle;
  let admin: UserActor;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    const { user } = await createUser(system, { email: "Boss@Example.test", name: "Boss", role: "admin", password: PASSWORD });
    admin = { kind: "user", userId: user.id, email: user.email, name: user.name, role: "admin", ip: "192.0.2.1" };
  });
  afterAll(() => handle?.close());

  it("signs in with the right password (email in any case) and refuses everything else with one answer", async () => {
    const ok = await signInWithPassword("boss@EXAMPLE.test", PASSWORD, "198.51.100.1");
    expect(ok).toMatchObject({ ok: true, user: { email: "Boss@Example.test", role: "admin" } });
    expect(JSON.stringify(ok)).not.toContain("argon2");
    expect(await signInWithPassword("boss@example.test", "wrong password here", "198.51.100.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword("nobody@example.test", PASSWORD, "198.51.100.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword("boss@example.test", "x".repeat(100_000), "198.51.100.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword("", PASSWORD, "198.51.100.1")).toEqual({ ok: false, reason: "invalid" });
    const [lastLogin] = await handle.db.select({ at: users.lastLoginAt }).from(users).where(eq(users.id, admin.userId));
    expect(lastLogin.at).not.toBeNull();
  });

  it("spends the same argon2 work whether or not the email exists", async () => {
    await signInWithPassword("nobody-warmup@example.test", "warm up the dummy hash", "198.51.100.9");
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      await signInWithPassword("boss@example.test", `wrong password ${i}!`, `203.0.113.${i}`);
      known.push(performance.now() - t);
      t = performance.now();
      await signInWithPassword(`ghost${i}@example.test`, `wrong password ${i}!`, `203.0.113.${i + 10}`);
      unknown.push(performance.now() - t);
    }
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    // Clear these failures so the throttle test below starts from zero.
    await handle.db.delete(loginAttempts);
  });

  it("throttles after 10 failures per account within 15 minutes, with a retry time, and a success resets the account count", async () => {
    const { user } = await createUser(admin, { email: "target@example.test", role: "viewer", password: PASSWORD });
    for (let i = 0; i < THROTTLE_MAX_FAILURES - 1; i++) {
      expect((await signInWithPassword("target@example.test", "wrong password!!", `10.1.0.${i}`)).ok).toBe(false);
    }
    expect(await signInWithPassword("target@example.test", PASSWORD, "10.1.1.1")).toMatchObject({ ok: true });
    for (let i = 0; i < THROTTLE_MAX_FAILURES - 1; i++) {
      await signInWithPassword("target@example.test", "wrong password!!", `10.2.0.${i}`);
    }
    // 18 failures in the window, but only 9 since the last success: still allowed.
    expect((await checkLoginThrottle("target@example.test", "10.3.0.1")).allowed).toBe(true);
    await signInWithPassword("target@example.test", "wrong password!!", "10.2.0.99");
    const blocked = await signInWithPassword("target@example.test", PASSWORD, "10.3.0.1");
    expect(blocked).toMatchObject({ ok: false, reason: "throttled" });
    if (blocked.ok || blocked.reason !== "throttled") throw new Error("expected throttled");
    expect(blocked.retryAfterSeconds).toBeGreaterThan(800);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(900);
    // The window slides: once the failures are older than 15 minutes the account is free again.
    await handle.db.update(loginAttempts).set({ at: new Date(Date.now() - 16 * 60_000) }).where(eq(loginAttempts.email, "target@example.test"));
    expect(await signInWithPassword("target@example.test", PASSWORD, "10.3.0.1")).toMatchObject({ ok: true, user: { id: user.id } });
  });

  it("throttles one address that tries many accounts", async () => {
    for (let i = 0; i < THROTTLE_MAX_FAILURES; i++) {
      await signInWithPassword(`spray${i}@example.test`, "wrong password!!", "10.9.9.9");
    }
    expect((await checkLoginThrottle("fresh@example.test", "10.9.9.9")).allowed).toBe(false);
    expect((await checkLoginThrottle("fresh@example.test", "10.9.9.10")).allowed).toBe(true);
  });

  it("creates, links and updates single-sign-on users; the identity provider's role wins; disabled ones are refused", async () => {
    const identity = { issuer: "https://idp.example.test", subject: "abc-123", email: "sso.person@example.test", emailVerified: true, name: "Sso Person", role: "editor" as const };
    const first = await signInWithSso(identity, "10.5.0.1");
    expect(first).toMatchObject({ email: "sso.person@example.test", role: "editor" });
    const again = await signInWithSso({ ...identity, role: "viewer" }, "10.5.0.1");
    expect(again).toMatchObject({ id: first!.id, role: "viewer", sessionVersion: first!.sessionVersion + 1 });
    // An existing password account is linked by email only when the operator opted in, and only to a verified email.
    const { user: local } = await createUser(admin, { email: "local@example.test", role: "helpdesk", password: PASSWORD });
    const byEmail = { ...identity, subject: "zzz", email: "local@example.test", emailVerified: true, role: null };
    expect(await signInWithSso(byEmail, "10.5.0.2")).toBeNull();
    const unverified = await signInWithSso({ ...byEmail, emailVerified: false }, "10.5.0.2", { linkByEmail: true });
    expect(unverified).toBeNull();
    const linked = await signInWithSso(byEmail, "10.5.0.2", { linkByEmail: true });
    expect(linked).toMatchObject({ id: local.id, role: "helpdesk" });
    await setUserDisabled(admin, { id: first!.id, disabled: true });
    expect(await signInWithSso(identity, "10.5.0.1")).toBeNull();
  });
});
