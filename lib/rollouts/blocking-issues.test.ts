// Blocking known issues per wave (issue #18 item 7) on both databases: PUT …/waves/{waveId}/blocking-issues
// sets exactly one wave's list and leaves every other wave as it was, refuses unknown ids per id,
// is for managers only, is audited, halts a running wave for a confirmed issue; and the known-issue
// form's blocking field turns the issue-level flag on and off.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, knownIssues, updates } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { addDevices, addKnownIssue, makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { PUT as putBlocking } from "@/app/api/v1/rollouts/[id]/waves/[waveId]/blocking-issues/route";
import { editIssueAction } from "@/app/(dashboard)/known-issues/actions";
import { blockingIssuesForWaves, performWaveAction } from "./lifecycle";
import { setWaveBlockingIssues } from "./blocking-issues";
import { saveRolloutPlan } from "./plan";

process.env.AUTH_SECRET ??= "blocking-secret-blocking-secret-0123456";

const session = vi.hoisted(() => ({ actor: null as UserActor | null }));
vi.mock("@/lib/auth/session", () => ({ requireActionActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

describe.each(testDbKinds)("blocking known issues per wave on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let rolloutId: number;
  let hq: number;
  let leeds: number;
  let york: number;
  let manage: string;
  let read: string;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    const catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, [{ hostname: "HQ-0" }, { hostname: "LDS-0", site: "Leeds" }, { hostname: "YRK-0", site: "York" }]);
    ({ rolloutId } = await saveRolloutPlan(editor, {
      buildId: catalog.builds[1].id,
      name: "SP2",
      waves: [
        { name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] } },
        { name: "Leeds", targeting: { siteIds: [catalog.site("Leeds").id] } },
        { name: "York", targeting: { siteIds: [catalog.site("York").id] } },
      ],
    }));
    [hq, leeds, york] = (await queryRows<{ id: number }>(handle.db, sql`select id from waves where rollout_id = ${rolloutId} order by position`)).map((w) => w.id);
    const id = catalog.update.id;
    await addKnownIssue(handle.db, id, { advisoryId: "RC-0001", title: "CRM add-in breaks", status: "confirmed" });
    await addKnownIssue(handle.db, id, { advisoryId: "RC-0002", title: "Firewall slow", status: "reported" });
    // RC-0003 blocks every wave of the update (blocking, linked to none).
    await addKnownIssue(handle.db, id, { advisoryId: "RC-0003", title: "Disruption on RC2", status: "confirmed", blocking: true });
    const [other] = await handle.db.insert(updates).values({ slug: "office-sp3", title: "Office SP3", vendor: "Microsoft", product: "Office", kind: "service_pack", sizeBytes: 1 }).returning();
    await addKnownIssue(handle.db, other.id, { advisoryId: "RC-0009", title: "Another update's issue", status: "confirmed", blocking: true });
    manage = (await createApiToken({ kind: "system", label: "test" }, { name: "manager", scopes: ["manage"] })).token;
    read = (await createApiToken({ kind: "system", label: "test" }, { name: "reader", scopes: ["read"] })).token;
  });
  afterAll(() => handle?.close());

  const put = (waveId: number, body: unknown, token: string | null = manage) =>
    putBlocking(
      new Request(`http://127.0.0.1:3999/api/v1/rollouts/${rolloutId}/waves/${waveId}/blocking-issues`, {
        method: "PUT",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }),
      { params: Promise.resolve({ id: String(rolloutId), waveId: String(waveId) }) },
    );

  /** Which confirmed issues block each wave now, as the start rule reads it. */
  const blockedBy = async () => {
    const map = await blockingIssuesForWaves(handle.db, [hq, leeds, york].map((id) => ({ id, rolloutId })));
    return [hq, leeds, york].map((id) => map.get(id)!.map((b) => b.advisoryId));
  };
  const flags = async () =>
    Object.fromEntries((await handle.db.select({ a: knownIssues.advisoryId, b: knownIssues.blocking }).from(knownIssues)).map((r) => [r.a, r.b]));

  it("sets one wave's list and leaves the others blocked as they were", async () => {
    expect(await blockedBy()).toEqual([["RC-0003"], ["RC-0003"], ["RC-0003"]]);
    const res = await put(leeds, { ids: ["RC-0001", "rc-0002"] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      waveId: leeds,
      blockingIssues: [
        { advisoryId: "RC-0001", status: "confirmed" },
        { advisoryId: "RC-0002", status: "reported" },
      ],
      halted: false,
    });
    // RC-0003 no longer blocks Leeds but still blocks HQ and York; RC-0002 is listed but blocks only once confirmed.
    expect(await blockedBy()).toEqual([["RC-0003"], ["RC-0001"], ["RC-0003"]]);
    expect(await flags()).toMatchObject({ "RC-0001": true, "RC-0002": true, "RC-0003": true });
    const [entry] = await handle.db.select().from(auditEntries).where(sql`${auditEntries.action} = 'wave.blocking_issues'`);
    expect(entry).toMatchObject({ targetType: "wave", targetId: String(leeds), before: { blockingIssues: ["RC-0003"] }, after: { blockingIssues: ["RC-0001", "RC-0002"] } });
  });

  it("refuses unknown ids and another update's issues one by one, changing nothing", async () => {
    const res = await put(york, { ids: ["RC-0001", "RC-0404", "RC-0009"] });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    const body = await res.json();
    expect(body.errors).toEqual([
      { path: "ids.1", message: "No known issue RC-0404." },
      { path: "ids.2", message: "RC-0009 is a known issue of another update; only this rollout's update's issues can block its waves." },
    ]);
    expect((await put(york, { ids: "RC-0001" })).status).toBe(422);
    expect((await put(york, { ids: [42] })).status).toBe(422);
    expect(await blockedBy()).toEqual([["RC-0003"], ["RC-0001"], ["RC-0003"]]);
  });

  it("is for managers: 401 without credentials, 403 for a read token and for a viewer", async () => {
    expect((await put(york, { ids: [] }, null)).status).toBe(401);
    expect((await put(york, { ids: [] }, read)).status).toBe(403);
    await expect(setWaveBlockingIssues(viewer, { rolloutId, waveId: york, ids: [] })).rejects.toMatchObject({ status: 403 });
    expect((await put(999_999, { ids: [] })).status).toBe(404);
    expect(await blockedBy()).toEqual([["RC-0003"], ["RC-0001"], ["RC-0003"]]);
  });

  it("removing an issue's last wave turns its flag off instead of letting it block every wave", async () => {
    const res = await put(leeds, { ids: [] });
    expect(await res.json()).toMatchObject({ blockingIssues: [], issueFlags: [{ advisoryId: "RC-0001", blocking: false }, { advisoryId: "RC-0002", blocking: false }] });
    expect(await blockedBy()).toEqual([["RC-0003"], [], ["RC-0003"]]);
    expect(await flags()).toMatchObject({ "RC-0001": false, "RC-0002": false });
  });

  it("a confirmed issue set on a running wave halts it; the wave then cannot resume while it is listed", async () => {
    await setWaveBlockingIssues(editor, { rolloutId, waveId: hq, ids: [] });
    expect(await blockedBy()).toEqual([[], [], ["RC-0003"]]);
    await performWaveAction(editor, { rolloutId, waveId: hq, action: "start" });
    const res = await put(hq, { ids: ["RC-0001"] });
    expect(await res.json()).toMatchObject({ status: "halted", halted: true });
    await expect(performWaveAction(editor, { rolloutId, waveId: hq, action: "resume", reason: "We checked the CRM machines." })).rejects.toMatchObject({ status: 409 });
  });

  it("the known-issue form's blocking field turns the issue-level flag on and off", async () => {
    session.actor = editor;
    const form = (blocking: string) => {
      const data = new FormData();
      data.append("blocking", blocking);
      return data;
    };
    expect(await editIssueAction("RC-0002", {}, form("on"))).toMatchObject({ ok: true, message: "Saved (blocking)." });
    expect((await flags())["RC-0002"]).toBe(true);
    expect(await editIssueAction("RC-0002", {}, form("off"))).toMatchObject({ ok: true });
    expect((await flags())["RC-0002"]).toBe(false);
  });
});
