// Issue #14 item 4: an API token answers with no more than its owner may do today. An owner who
// is demoted keeps only the scopes the new role covers (read: any role; manage, ingest and
// inventory: editor or admin), a disabled owner's tokens stop working, and a deleted owner's
// tokens go with them. Tokens made by the CLI have no owner and keep their scopes.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { roleCoversScope } from "@/lib/auth/permissions";
import { requireApiActor } from "@/lib/auth/request-actor";
import { createApiToken } from "@/lib/auth/tokens";
import { setUserDisabled, setUserRole } from "@/lib/auth/users";

const system = { kind: "system", label: "test" } as const;
const BASE = "http://127.0.0.1:3999";

function bearer(token: string): Request {
  return new Request(`${BASE}/api/v1/updates`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
}

describe.each(testDbKinds)("tokens follow their owner on %s", (kind) => {
  let handle: DbHandle;
  let keeper: UserActor;

  async function makeAdmin(email: string): Promise<UserActor> {
    const [row] = await handle.db.insert(users).values({ email, role: "admin" }).returning();
    return { kind: "user", userId: row.id, email: row.email, name: row.name, role: "admin" };
  }

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    keeper = await makeAdmin("keeper@example.test");
  });
  afterAll(() => handle?.close());

  it("maps scopes to the least role: read needs any role, manage, ingest and inventory need editor", () => {
    expect(roleCoversScope("viewer", "read")).toBe(true);
    expect(roleCoversScope("helpdesk", "read")).toBe(true);
    for (const scope of ["manage", "ingest", "inventory"] as const) {
      expect(roleCoversScope("viewer", scope)).toBe(false);
      expect(roleCoversScope("helpdesk", scope)).toBe(false);
      expect(roleCoversScope("editor", scope)).toBe(true);
      expect(roleCoversScope("admin", scope)).toBe(true);
    }
  });

  it("a demoted owner's token loses the scopes the new role does not cover", async () => {
    const owner = await makeAdmin("demoted@example.test");
    const { token } = await createApiToken(owner, { name: "sccm", scopes: ["manage", "ingest", "inventory", "read"] });
    await expect(requireApiActor(bearer(token), "events.ingest")).resolves.toMatchObject({ kind: "token" });

    await setUserRole(keeper, { id: owner.userId, role: "editor" });
    await expect(requireApiActor(bearer(token), "events.ingest")).resolves.toMatchObject({ kind: "token" });

    await setUserRole(keeper, { id: owner.userId, role: "viewer" });
    for (const action of ["events.ingest", "inventory.write", "update.write", "wave.action"] as const) {
      await expect(requireApiActor(bearer(token), action)).rejects.toMatchObject({ status: 403 });
    }
    await expect(requireApiActor(bearer(token), "update.read")).resolves.toMatchObject({ kind: "token", scopes: ["read"] });

    await setUserRole(keeper, { id: owner.userId, role: "editor" });
    await expect(requireApiActor(bearer(token), "events.ingest")).resolves.toMatchObject({ kind: "token" });
  });

  it("a disabled owner's token gets 401", async () => {
    const owner = await makeAdmin("disabled@example.test");
    const { token } = await createApiToken(owner, { name: "reader", scopes: ["read"] });
    await setUserDisabled(keeper, { id: owner.userId, disabled: true });
    await expect(requireApiActor(bearer(token), "update.read")).rejects.toMatchObject({ status: 401 });
  });

  it("a deleted owner's token is gone and gets 401", async () => {
    const owner = await makeAdmin("deleted@example.test");
    const { token, id } = await createApiToken(owner, { name: "ingest", scopes: ["ingest", "read"] });
    await handle.db.delete(users).where(eq(users.id, owner.userId));
    await expect(requireApiActor(bearer(token), "events.ingest")).rejects.toMatchObject({ status: 401 });
    await expect(requireApiActor(bearer(token), "update.read")).rejects.toMatchObject({ status: 401 });
    expect(await handle.db.select().from(apiTokens).where(eq(apiTokens.id, id))).toHaveLength(0);
  });

  it("a token made by the CLI (no owner) keeps its scopes", async () => {
    const { token } = await createApiToken(system, { name: "cli", scopes: ["ingest"] });
    await expect(requireApiActor(bearer(token), "events.ingest")).resolves.toMatchObject({ kind: "token", ownerId: null });
  });
});
