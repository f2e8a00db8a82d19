// Issue #14 item 5 ("nOAuth"): single sign-on finds accounts by issuer and subject, never by email.
// An identity whose provider vouches for a victim's email gets no session for the victim's
// account unless an admin linked them, or the operator opted in with OIDC_LINK_BY_EMAIL=true.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { readOidcConfig } from "@/lib/auth/oidc-config";
import { signInWithPassword, signInWithSso } from "@/lib/auth/sign-in";
import { createUser, linkSsoIdentity } from "@/lib/auth/users";

const system = { kind: "system", label: "test" } as const;
const PASSWORD = "violet staple mountain 42";
const ISSUER = "https://login.example.test/tenant";

describe.each(testDbKinds)("single sign-on account linking on %s", (kind) => {
  let handle: DbHandle;
  let victimId: number;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    ({ user: { id: victimId } } = await createUser(system, { email: "Victim@Example.test", role: "admin", password: PASSWORD }));
  });
  afterAll(() => handle?.close());

  it("gives a foreign identity with the victim's verified email no session for the victim's account", async () => {
    const foreign = { issuer: ISSUER, subject: "attacker-sub", email: "victim@example.test", emailVerified: true, name: "Mallory", role: "admin" as const };
    expect(await signInWithSso(foreign, "203.0.113.5")).toBeNull();
    expect(await signInWithSso({ ...foreign, email: "VICTIM@example.test" }, "203.0.113.5")).toBeNull();
    const [victim] = await handle.db.select().from(users).where(eq(users.id, victimId));
    expect(victim).toMatchObject({ externalId: null, role: "admin", email: "Victim@Example.test" });
    expect(await handle.db.select().from(users).where(eq(users.externalId, `${ISSUER}|attacker-sub`))).toHaveLength(0);
    await expect(signInWithPassword("victim@example.test", PASSWORD, "192.0.2.1")).resolves.toMatchObject({ ok: true });
  });

  it("signs in as the account an admin linked by issuer and subject, and only that subject", async () => {
    const admin = { kind: "user", userId: victimId, email: "victim@example.test", name: "", role: "admin" } as const;
    const { user: carol } = await createUser(system, { email: "carol@example.test", role: "editor", password: PASSWORD });
    const linked = await linkSsoIdentity(admin, { id: carol.id, issuer: ISSUER, subject: "carol-sub" });
    expect(linked.user).toMatchObject({ id: carol.id, sso: true });
    const audit = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "user.link_sso"));
    expect(audit.at(-1)).toMatchObject({ targetId: String(carol.id), actorLabel: "victim@example.test" });

    const session = await signInWithSso({ issuer: ISSUER, subject: "carol-sub", email: "carol@elsewhere.test", emailVerified: false, name: null, role: null }, "ip");
    expect(session).toMatchObject({ id: carol.id, email: "carol@example.test", role: "editor" });
    // The same email under another subject is still someone else.
    expect(await signInWithSso({ issuer: ISSUER, subject: "other", email: "carol@example.test", emailVerified: true, name: null, role: null }, "ip")).toBeNull();
    // One identity, one account.
    await expect(linkSsoIdentity(admin, { id: victimId, issuer: ISSUER, subject: "carol-sub" })).rejects.toMatchObject({ status: 409 });
    const viewer = { ...admin, role: "viewer" } as const;
    await expect(linkSsoIdentity(viewer, { id: victimId, issuer: ISSUER, subject: "x" })).rejects.toMatchObject({ status: 403 });
  });

  it("links by verified email only with OIDC_LINK_BY_EMAIL=true", async () => {
    const { user: dave } = await createUser(system, { email: "dave@example.test", role: "helpdesk", password: PASSWORD });
    const identity = { issuer: ISSUER, subject: "dave-sub", email: "dave@example.test", emailVerified: true, name: null, role: null };
    const config = (value?: string) =>
      readOidcConfig({ OIDC_ISSUER: ISSUER, OIDC_CLIENT_ID: "c", OIDC_CLIENT_SECRET: "s", ...(value ? { OIDC_LINK_BY_EMAIL: value } : {}) })!;
    expect(config().linkByEmail).toBe(false);
    expect(() => config("yes")).toThrow(/OIDC_LINK_BY_EMAIL must be true or false/);
    expect(await signInWithSso(identity, "ip", { linkByEmail: config().linkByEmail })).toBeNull();
    expect(await signInWithSso({ ...identity, emailVerified: false }, "ip", { linkByEmail: config("true").linkByEmail })).toBeNull();
    expect(await signInWithSso(identity, "ip", { linkByEmail: config("true").linkByEmail })).toMatchObject({ id: dave.id });
  });
});

describe("rollcall user link-sso", () => {
  it("refuses missing arguments with exit 2 before touching the database", () => {
    const cli = path.resolve("bin/rollcall");
    const r = spawnSync(cli, ["user", "link-sso", "--email", "a@example.test"], { encoding: "utf8", env: { ...process.env, OIDC_ISSUER: "" } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--subject is required/);
  });
});
