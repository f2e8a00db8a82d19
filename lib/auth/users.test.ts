import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "./actor";
import { signInWithPassword } from "./sign-in";
import { createUser, linkSsoIdentity, listUsers, resetUserPassword, setUserDisabled, setUserRole } from "./users";

const system = { kind: "system", label: "test" } as const;
const PASSWORD = "violet staple mountain 42";

describe.each(testDbKinds)("user administration on %s", (kind) => {
  let handle: DbHandle;
  let admin: UserActor;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    const { user } = await createUser(system, { email: "Boss@Example.test", name: "Boss", role: "admin", password: PASSWORD });
    admin = { kind: "user", userId: user.id, email: user.email, name: user.name, role: "admin", ip: "192.0.2.1" };
  });
  afterAll(() => handle?.close());

  it("creates users without ever returning the hash, and audits without the password", async () => {
    const { user, generatedPassword } = await createUser(admin, { email: "viewer@example.test", role: "viewer" });
    expect(generatedPassword).toMatch(/^.{20}$/);
    expect(Object.keys(user).sort()).toEqual(["createdAt", "disabled", "email", "id", "lastLoginAt", "name", "role", "sso"]);
    const [row] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const [audit] = await handle.db.select().from(auditEntries).where(eq(auditEntries.targetId, String(user.id)));
    expect(audit).toMatchObject({ action: "user.create", actorUserId: admin.userId, actorLabel: admin.email, ip: "192.0.2.1" });
    expect(JSON.stringify(audit)).not.toContain(generatedPassword!);
    expect(JSON.stringify(audit)).not.toContain("argon2");
    const listed = await listUsers(admin);
    expect(JSON.stringify(listed)).not.toContain("argon2");
  });

  it("refuses a duplicate email (any case), a weak password and an unknown role, changing nothing", async () => {
    const before = (await handle.db.select().from(users)).length;
    await expect(createUser(admin, { email: "VIEWER@example.test", role: "viewer" })).rejects.toMatchObject({ status: 409 });
    await expect(createUser(admin, { email: "weak@example.test", role: "viewer", password: "password123" })).rejects.toMatchObject({ status: 422 });
    await expect(createUser(admin, { email: "role@example.test", role: "root" })).rejects.toMatchObject({ status: 422 });
    await expect(createUser(admin, { email: "not-an-email", role: "viewer" })).rejects.toMatchObject({ status: 422 });
    expect((await handle.db.select().from(users)).length).toBe(before);
  });

  it("only admins manage users", async () => {
    const editor: UserActor = { kind: "user", userId: 999, email: "e@x", name: "", role: "editor" };
    await expect(listUsers(editor)).rejects.toMatchObject({ status: 403 });
    await expect(createUser(editor, { email: "sneaky@example.test", role: "admin" })).rejects.toMatchObject({ status: 403 });
    await expect(setUserRole(editor, { id: admin.userId, role: "viewer" })).rejects.toMatchObject({ status: 403 });
    await expect(listUsers({ kind: "token", tokenId: 1, name: "t", scopes: ["read", "ingest", "inventory", "manage"], ownerId: null })).rejects.toMatchObject({ status: 403 });
  });

  it("bumps the session version on role change, disable and password reset, with audit before → after", async () => {
    const { user } = await createUser(admin, { email: "ed@example.test", role: "editor", password: PASSWORD });
    const version = async () => (await handle.db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, user.id)))[0].v;
    const v0 = await version();
    await setUserRole(admin, { id: user.id, role: "helpdesk" });
    expect(await version()).toBe(v0 + 1);
    const [roleAudit] = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "user.set_role")).orderBy(desc(auditEntries.id)).limit(1);
    expect(roleAudit).toMatchObject({ before: { role: "editor" }, after: { role: "helpdesk" }, targetId: String(user.id) });
    await setUserRole(admin, { id: user.id, role: "helpdesk" });
    expect(await version()).toBe(v0 + 1);
    await setUserDisabled(admin, { id: user.id, disabled: true });
    expect(await version()).toBe(v0 + 2);
    expect(await signInWithPassword("ed@example.test", PASSWORD, "10.4.0.1")).toEqual({ ok: false, reason: "invalid" });
    await setUserDisabled(admin, { id: user.id, disabled: false });
    const { generatedPassword } = await resetUserPassword(admin, { id: user.id });
    expect(await version()).toBe(v0 + 4);
    expect((await signInWithPassword("ed@example.test", PASSWORD, "10.4.0.2")).ok).toBe(false);
    expect((await signInWithPassword("ed@example.test", generatedPassword!, "10.4.0.3")).ok).toBe(true);
    await expect(resetUserPassword(admin, { id: user.id, password: "short" })).rejects.toMatchObject({ status: 422 });
    await expect(setUserRole(admin, { id: 987654, role: "viewer" })).rejects.toMatchObject({ status: 404 });
  });

  it("never leaves the product without an enabled admin", async () => {
    const others = await handle.db.select().from(users).where(eq(users.role, "admin"));
    expect(others).toHaveLength(1);
    await expect(setUserDisabled(admin, { id: admin.userId, disabled: true })).rejects.toMatchObject({ status: 409 });
    await expect(setUserRole(admin, { id: admin.userId, role: "viewer" })).rejects.toMatchObject({ status: 409 });
    const { user: second } = await createUser(admin, { email: "second-admin@example.test", role: "admin", password: PASSWORD });
    await setUserRole(admin, { id: second.id, role: "editor" });
    expect((await handle.db.select().from(users).where(eq(users.id, second.id)))[0].role).toBe("editor");
  });

  it("a refused change leaves the user, their sessions and the audit log as they were", async () => {
    const audits = async () => (await handle.db.select().from(auditEntries)).length;
    const [me] = await handle.db.select().from(users).where(eq(users.id, admin.userId));
    const entries = await audits();
    await expect(setUserRole(admin, { id: admin.userId, role: "viewer" })).rejects.toMatchObject({ status: 409, message: /last enabled admin/ });
    await expect(setUserDisabled(admin, { id: admin.userId, disabled: true })).rejects.toMatchObject({ status: 409 });
    const [after] = await handle.db.select().from(users).where(eq(users.id, admin.userId));
    expect(after).toMatchObject({ role: "admin", disabled: false, sessionVersion: me.sessionVersion });
    expect(await audits()).toBe(entries);
  });

  it("takes the admin forms' fields as they are sent (text), answering 422 per field when one is wrong", async () => {
    const { user } = await createUser(admin, { email: "form@example.test", name: "", role: "viewer", password: "" });
    const id = String(user.id);
    expect((await setUserRole(admin, { id, role: "editor" })).user.role).toBe("editor");
    expect((await setUserDisabled(admin, { id, disabled: "true" })).user.disabled).toBe(true);
    expect((await setUserDisabled(admin, { id, disabled: "false" })).user.disabled).toBe(false);
    const { generatedPassword } = await resetUserPassword(admin, { id, password: "" });
    expect(generatedPassword).toMatch(/^.{20}$/);
    await expect(setUserRole(admin, { id, role: "root" })).rejects.toMatchObject({
      status: 422,
      extra: { errors: [{ path: "role", message: expect.stringMatching(/Role must be one of viewer/) }] },
    });
    await expect(createUser(admin, { email: "weak2@example.test", role: "viewer", password: "qwerty123456" })).rejects.toMatchObject({
      status: 422,
      extra: { errors: [{ path: "password", message: expect.stringMatching(/commonly used/) }] },
    });
  });

  it("links an account to a single-sign-on identity once, audited, ending its sessions", async () => {
    const { user } = await createUser(admin, { email: "link@example.test", role: "viewer" });
    const [{ v0 }] = await handle.db.select({ v0: users.sessionVersion }).from(users).where(eq(users.id, user.id));
    const identity = { id: user.id, issuer: " https://idp.example.test ", subject: "link-sub" };
    expect((await linkSsoIdentity(admin, identity)).user.sso).toBe(true);
    expect(await linkSsoIdentity(admin, identity)).toMatchObject({ before: null });
    const [row] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ externalId: "https://idp.example.test|link-sub", sessionVersion: v0 + 1 });
    const linked = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "user.link_sso"));
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ before: { sso: false }, after: { issuer: "https://idp.example.test", subject: "link-sub" } });
    await expect(linkSsoIdentity(admin, { id: user.id, issuer: "", subject: "x" })).rejects.toMatchObject({ status: 422, extra: { errors: [{ path: "issuer" }] } });
  });
});
