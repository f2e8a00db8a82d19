// The admin pages' forms through their server actions: a refused submit answers the message next to
// its field and what the user typed (never a password), so the form is filled in again; a generated
// password or a new token is answered once; nothing is written when refused.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createUser } from "@/lib/auth/users";
import { createTokenAction, revokeTokenAction } from "./tokens/actions";
import { createUserAction, resetPasswordAction, setDisabledAction, setRoleAction } from "./users/actions";

const session = vi.hoisted(() => ({ actor: null as UserActor | null }));
vi.mock("@/lib/auth/session", () => ({ requireActionActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) data.append(name, one);
  return data;
}

describe.each(testDbKinds)("admin forms on %s", (kind) => {
  let handle: DbHandle;
  let adminId: number;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    const { user } = await createUser({ kind: "system", label: "test" }, { email: "boss@example.test", role: "admin", password: "violet staple mountain 42" });
    adminId = user.id;
    session.actor = { kind: "user", userId: user.id, email: user.email, name: "", role: "admin" };
  });
  afterAll(() => handle?.close());

  it("a user with a weak password is refused next to the password, keeping email, name and role but not the password", async () => {
    const typed = { email: "new.person@example.test", name: "New Person", role: "editor", password: "qwerty123456" };
    const state = await createUserAction({}, form(typed));
    expect(state).toMatchObject({ fieldErrors: { password: [expect.stringMatching(/commonly used/)] }, values: { email: typed.email, name: typed.name, role: "editor" } });
    expect(state.ok).toBeUndefined();
    expect(JSON.stringify(state)).not.toContain("qwerty123456");
    expect(await handle.db.select().from(users).where(eq(users.email, typed.email))).toHaveLength(0);
  });

  it("a user with a bad email is refused next to the email; with a blank password one is generated and shown once", async () => {
    const refused = await createUserAction({}, form({ email: "not-an-email", name: "", role: "viewer", password: "" }));
    expect(refused).toMatchObject({ fieldErrors: { email: ["Enter a valid email address."] }, values: { email: "not-an-email", role: "viewer" } });
    const created = await createUserAction({}, form({ email: "ok.person@example.test", name: "", role: "viewer", password: "" }));
    expect(created).toMatchObject({ ok: true, message: "Created viewer ok.person@example.test.", secret: { value: expect.stringMatching(/^.{20}$/) } });
  });

  it("the last enabled admin cannot be demoted or disabled from the row actions; nothing changes", async () => {
    const role = await setRoleAction({}, form({ id: String(adminId), role: "viewer" }));
    expect(role).toMatchObject({ error: expect.stringMatching(/last enabled admin/), values: { role: "viewer" } });
    const disabled = await setDisabledAction({}, form({ id: String(adminId), disabled: "true" }));
    expect(disabled.error).toMatch(/last enabled admin/);
    expect((await handle.db.select().from(users).where(eq(users.id, adminId)))[0]).toMatchObject({ role: "admin", disabled: false });
  });

  it("role, disable and reset work from the row forms", async () => {
    const [person] = await handle.db.select().from(users).where(eq(users.email, "ok.person@example.test"));
    expect(await setRoleAction({}, form({ id: String(person.id), role: "helpdesk" }))).toMatchObject({ ok: true, message: "ok.person@example.test is now helpdesk." });
    expect(await setDisabledAction({}, form({ id: String(person.id), disabled: "true" }))).toMatchObject({ ok: true, message: expect.stringMatching(/is disabled/) });
    expect(await resetPasswordAction({}, form({ id: String(person.id) }))).toMatchObject({ ok: true, secret: { value: expect.stringMatching(/^.{20}$/) } });
  });

  it("a token without scopes is refused next to the scopes, keeping its name and expiry", async () => {
    const state = await createTokenAction({}, form({ name: "sccm", expires: "365" }));
    expect(state).toMatchObject({ fieldErrors: { scopes: ["Choose at least one scope."] }, values: { name: "sccm", expires: "365" } });
    expect(await handle.db.select().from(apiTokens)).toHaveLength(0);
  });

  it("a token without a name is refused next to the name, keeping the ticked scopes", async () => {
    const state = await createTokenAction({}, form({ name: " ", expires: "never", scopes: ["read", "ingest"] }));
    expect(state).toMatchObject({ fieldErrors: { name: ["Give the token a name."] }, values: { expires: "never", scopes: ["read", "ingest"] } });
    expect(await handle.db.select().from(apiTokens)).toHaveLength(0);
  });

  it("a token is shown once with its expiry, and revoked", async () => {
    const created = await createTokenAction({}, form({ name: "reader", expires: "30", scopes: "read" }));
    expect(created).toMatchObject({ ok: true, secret: { value: expect.stringMatching(/^rc_[A-Za-z0-9_-]{43}$/) } });
    const [row] = await handle.db.select().from(apiTokens);
    expect(row).toMatchObject({ name: "reader", scopes: ["read"], ownerId: adminId });
    expect(Math.round((row.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(30);
    expect(await revokeTokenAction({}, form({ id: String(row.id) }))).toMatchObject({ ok: true });
    expect((await handle.db.select().from(apiTokens))[0].revokedAt).not.toBeNull();
    expect(await revokeTokenAction({}, form({ id: "987654" }))).toMatchObject({ error: "No such token." });
  });
});
