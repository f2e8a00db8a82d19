// The updates and rollouts lists page with a cursor (issue #18 item 7) on both databases: walking
// forward visits every row once in the list's order (ties of creation time by id), walking back
// gives the same pages, the ends say so (null cursors), a filter holds across pages, and a cursor
// that is not one of ours is a 422 through the API, never a 500.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { builds, rollouts, updates } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { listUpdatesPage } from "@/lib/updates/catalog";
import { makeUser } from "@/test/support/fixtures/catalog";
import { GET as getRollouts } from "@/app/api/v1/rollouts/route";
import { GET as getUpdates } from "@/app/api/v1/updates/route";
import { listRolloutsPage } from "./list-page";

process.env.AUTH_SECRET ??= "pages-secret-pages-secret-pages-0123456";

type Paged<T> = { items: T[]; nextCursor: string | null; prevCursor: string | null };

/** Every page forward from the first, then every page back from the last. */
async function walk<T>(read: (q: { cursor?: string; before?: string }) => Promise<Paged<T>>) {
  const forward: Paged<T>[] = [await read({})];
  while (forward.at(-1)!.nextCursor) forward.push(await read({ cursor: forward.at(-1)!.nextCursor! }));
  const backward: Paged<T>[] = [forward.at(-1)!];
  while (backward.at(-1)!.prevCursor) backward.push(await read({ before: backward.at(-1)!.prevCursor! }));
  return { forward, backward: backward.reverse() };
}

describe.each(testDbKinds)("paged updates and rollouts on %s", (kind) => {
  let handle: DbHandle;
  let viewer: UserActor;
  let token: string;
  const base = new Date("2026-01-01T00:00:00Z").getTime();

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    viewer = await makeUser(handle.db, "viewer");
    // 205 updates; every three share a creation time (to the microsecond), so ties go by id.
    const made = await handle.db
      .insert(updates)
      .values(
        Array.from({ length: 205 }, (_, i) => ({
          slug: `kb-${String(i).padStart(3, "0")}`,
          title: `Update ${i}`,
          vendor: "Microsoft",
          product: "Windows",
          kind: "security" as const,
          sizeBytes: 1_000,
          createdAt: new Date(base + Math.floor(i / 3) * 60_000 + 0.123),
        })),
      )
      .returning({ id: updates.id });
    await handle.db.execute(sql`update updates set created_at = created_at + interval '7 microseconds' where id % 2 = 0`);
    const [build] = await handle.db.insert(builds).values({ updateId: made[0].id, name: "Final", version: "1", kind: "final" }).returning();
    const [other] = await handle.db.insert(builds).values({ updateId: made[1].id, name: "Final", version: "1", kind: "final" }).returning();
    await handle.db.insert(rollouts).values(Array.from({ length: 130 }, (_, i) => ({ updateId: i % 10 === 0 ? made[1].id : made[0].id, buildId: i % 10 === 0 ? other.id : build.id, name: `Rollout ${i}` })));
    token = (await createApiToken({ kind: "system", label: "test" }, { name: "reader", scopes: ["read"] })).token;
  });
  afterAll(() => handle?.close());

  it("updates: every one exactly once, newest first, 100 a page, and the same pages walking back", async () => {
    const { forward, backward } = await walk((q) => listUpdatesPage(viewer, q));
    expect(forward.map((p) => p.items.length)).toEqual([100, 100, 5]);
    expect(forward[0].prevCursor).toBeNull();
    expect(forward[2].nextCursor).toBeNull();
    const expected = await queryRows<{ slug: string }>(handle.db, sql`select slug from updates order by created_at desc, id desc`);
    expect(forward.flatMap((p) => p.items.map((u) => u.slug))).toEqual(expected.map((r) => r.slug));
    expect(backward.map((p) => p.items.map((u) => u.slug))).toEqual(forward.map((p) => p.items.map((u) => u.slug)));
  });

  it("rollouts: newest first, 100 a page, both ways, and the update filter holds across pages", async () => {
    const all = await walk((q) => listRolloutsPage(viewer, { ...q, limit: "100" }));
    expect(all.forward.map((p) => p.items.length)).toEqual([100, 30]);
    const ids = all.forward.flatMap((p) => p.items.map((r) => r.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(130);
    expect(all.backward.map((p) => p.items.map((r) => r.id))).toEqual(all.forward.map((p) => p.items.map((r) => r.id)));
    const filtered = await walk((q) => listRolloutsPage(viewer, { ...q, update: "kb-001", limit: "4" }));
    expect(filtered.forward.map((p) => p.items.length)).toEqual([4, 4, 4, 1]);
    expect(filtered.forward.flatMap((p) => p.items).every((r) => r.update.slug === "kb-001")).toBe(true);
    expect(filtered.backward.map((p) => p.items.map((r) => r.id))).toEqual(filtered.forward.map((p) => p.items.map((r) => r.id)));
  });

  it("the API answers nextCursor and prevCursor, and a foreign cursor is a 422", async () => {
    const get = (route: typeof getRollouts, path: string) => route(new Request(`http://127.0.0.1:3999${path}`, { headers: { authorization: `Bearer ${token}` } }));
    const first = await (await get(getRollouts, "/api/v1/rollouts")).json();
    expect(first.items).toHaveLength(100);
    expect(first.prevCursor).toBeNull();
    const second = await (await get(getRollouts, `/api/v1/rollouts?cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.items).toHaveLength(30);
    expect(second.items[0]).toMatchObject({ cancelledAt: null, cancelReason: null });
    const updatesPage = await (await get(getUpdates, "/api/v1/updates?limit=7")).json();
    expect(updatesPage.items).toHaveLength(7);
    expect(typeof updatesPage.nextCursor).toBe("string");
    const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");
    for (const path of [
      "/api/v1/rollouts?cursor=not-a-cursor",
      "/api/v1/updates?before=eyJ4IjoxfQ",
      `/api/v1/updates?cursor=${forged(["abc", 1])}`,
      `/api/v1/rollouts?before=${forged(["1"])}`,
      `/api/v1/rollouts?cursor=${forged([1.5])}`,
    ]) {
      const res = await get(path.includes("updates") ? getUpdates : getRollouts, path);
      expect(res.status, path).toBe(422);
      expect((await res.json()).errors[0].path).toMatch(/cursor|before/);
    }
  });
});
