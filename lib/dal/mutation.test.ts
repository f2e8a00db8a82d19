import { count, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, outboxEvents, sites } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { TokenActor, UserActor } from "@/lib/auth/actor";
import { makeUser } from "@/test/support/fixtures/catalog";
import { HttpError } from "@/lib/http/problem";
import { isMutation, mutation } from "./mutation";

const committed: string[] = [];

// Two audit entries and an event: the kernel sends them to the database together, after the change.
const addSites = mutation({
  action: "inventory.write",
  input: z.object({ names: z.array(z.string().min(1)).length(2) }),
  run: async (tx, _actor, data) => tx.insert(sites).values(data.names.map((name) => ({ name, kind: "branch" as const }))).returning({ id: sites.id, name: sites.name }),
  audit: (_data, made) => made.map((site) => ({ action: "site.create", targetType: "site", targetId: site.id, after: { name: site.name } })),
  events: (_data, made) => [{ type: "update.slipped", path: `/sites/${made[0].id}`, data: { sites: made.map((site) => site.name) } }],
});

const addSite = mutation({
  action: "inventory.write",
  input: z.object({ name: z.string().trim().min(1, "Name the site."), refuse: z.boolean().default(false) }),
  run: async (tx, _actor, data) => {
    const [site] = await tx.insert(sites).values({ name: data.name, kind: "branch" }).returning({ id: sites.id });
    if (data.refuse) throw new HttpError(409, "Refused after the insert.");
    return site;
  },
  audit: (data, site) => ({ action: "site.create", targetType: "site", targetId: site.id, after: { name: data.name } }),
  afterCommit: (data) => {
    committed.push(data.name);
    if (data.name === "Hook fails") throw new Error("cache gone");
  },
});

describe.each(testDbKinds)("the write kernel on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  const readToken: TokenActor = { kind: "token", tokenId: 1, name: "reader", scopes: ["read"], ownerId: null };
  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
  });
  afterAll(() => handle?.close());

  const siteCount = async (name: string) => (await handle.db.select({ n: count() }).from(sites).where(eq(sites.name, name)))[0].n;
  const auditCount = async () => (await handle.db.select({ n: count() }).from(auditEntries))[0].n;

  it("writes the change and its audit entry together, then runs the post-commit hook", async () => {
    const before = await auditCount();
    const site = await addSite(editor, { name: "Leeds" });
    expect(await siteCount("Leeds")).toBe(1);
    const [entry] = await handle.db.select().from(auditEntries).where(eq(auditEntries.targetId, String(site.id)));
    expect(entry).toMatchObject({ action: "site.create", actorLabel: editor.email, after: { name: "Leeds" } });
    expect(await auditCount()).toBe(before + 1);
    expect(committed).toContain("Leeds");
  });

  it("writes several audit entries in the order given and the change's outbox event, in the change's transaction", async () => {
    const made = await addSites(editor, { names: ["York", "Hull"] });
    const entries = await handle.db
      .select({ targetId: auditEntries.targetId, after: auditEntries.after })
      .from(auditEntries)
      .where(inArray(auditEntries.targetId, made.map((site) => String(site.id))))
      .orderBy(auditEntries.id);
    expect(entries).toEqual(made.map((site) => ({ targetId: String(site.id), after: { name: site.name } })));
    const [event] = await handle.db.select().from(outboxEvents).where(sql`${outboxEvents.data}->'sites' = ${JSON.stringify(["York", "Hull"])}::jsonb`);
    expect(event).toMatchObject({ type: "update.slipped", link: expect.stringMatching(new RegExp(`/sites/${made[0].id}$`)), fannedOutAt: null });
  });

  it("refuses callers without the permission before reading the input or writing anything", async () => {
    const before = await auditCount();
    await expect(addSite(null, { name: "Anon" })).rejects.toMatchObject({ status: 401 });
    await expect(addSite(viewer, { name: "Viewer" })).rejects.toMatchObject({ status: 403 });
    await expect(addSite(readToken, { name: "Token" })).rejects.toMatchObject({ status: 403 });
    await expect(addSite(viewer, { name: "" })).rejects.toMatchObject({ status: 403 });
    expect(await siteCount("Viewer")).toBe(0);
    expect(await auditCount()).toBe(before);
  });

  it("answers invalid input with 422 and a message per field, writing nothing", async () => {
    await expect(addSite(editor, { name: "  " })).rejects.toMatchObject({ status: 422, extra: { errors: [{ path: "name", message: "Name the site." }] } });
    await expect(addSite(editor, { name: "x", refuse: "yes" } as never)).rejects.toMatchObject({ status: 422, extra: { errors: [{ path: "refuse" }] } });
  });

  it("rolls the change and the audit entry back together when the change is refused half-way", async () => {
    const before = await auditCount();
    await expect(addSite(editor, { name: "Half", refuse: true })).rejects.toMatchObject({ status: 409 });
    expect(await siteCount("Half")).toBe(0);
    expect(await auditCount()).toBe(before);
    expect(committed).not.toContain("Half");
  });

  it("keeps a committed change when a post-commit hook fails", async () => {
    await expect(addSite(editor, { name: "Hook fails" })).resolves.toMatchObject({ id: expect.any(Number) });
    expect(await siteCount("Hook fails")).toBe(1);
  });

  it("marks its writes so the tests can tell a kernel write from any other function", () => {
    expect(isMutation(addSite)).toBe(true);
    expect(isMutation(async () => undefined)).toBe(false);
  });
});
