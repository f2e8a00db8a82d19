// Cancelling a rollout (issue #18 item 7) on both databases: manage / editor only, with a written
// reason, audited; the running wave halts, the planned one never starts by itself, nothing is offered
// (eligibility not_in_rollout), nothing changes any more, the list and the page say why, and the
// update may get a new rollout.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { addDevices, makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { POST as postCancel } from "@/app/api/v1/rollouts/[id]/cancel/route";
import { cancelRollout } from "./cancel";
import { getEligibility } from "./eligibility";
import { performWaveAction } from "./lifecycle";
import { listRolloutsPage } from "./list-page";
import { saveRolloutPlan } from "./plan";
import { getSilentCounts } from "./silent";

process.env.AUTH_SECRET ??= "cancel-secret-cancel-secret-cancel-01234";

describe.each(testDbKinds)("cancelling a rollout on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let rolloutId: number;
  let first: number;
  let second: number;
  let manage: string;
  let read: string;
  const reason = "The vendor withdrew this build; we wait for the re-release.";

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, [{ hostname: "HQ-0" }, { hostname: "HQ-1" }, { hostname: "LDS-0", site: "Leeds" }]);
    ({ rolloutId } = await saveRolloutPlan(editor, {
      buildId: catalog.builds[1].id,
      name: "SP2",
      waves: [
        { name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] } },
        { name: "Leeds", targeting: { siteIds: [catalog.site("Leeds").id] }, autoStart: true },
      ],
    }));
    [first, second] = (await queryRows<{ id: number }>(handle.db, sql`select id from waves where rollout_id = ${rolloutId} order by position`)).map((w) => w.id);
    await performWaveAction(editor, { rolloutId, waveId: first, action: "start" });
    manage = (await createApiToken({ kind: "system", label: "test" }, { name: "manager", scopes: ["manage"] })).token;
    read = (await createApiToken({ kind: "system", label: "test" }, { name: "reader", scopes: ["read"] })).token;
  });
  afterAll(() => handle?.close());

  const post = (body: unknown, token: string | null = manage) =>
    postCancel(
      new Request(`http://127.0.0.1:3999/api/v1/rollouts/${rolloutId}/cancel`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }),
      { params: Promise.resolve({ id: String(rolloutId) }) },
    );
  const status = async () => (await queryRows<{ status: string }>(handle.db, sql`select status::text as status from rollouts where id = ${rolloutId}`))[0].status;

  it("refuses without a reason (422 at the field), without rights (401, 403) and changes nothing", async () => {
    const short = await post({ reason: "because" });
    expect(short.status).toBe(422);
    expect((await short.json()).errors).toEqual([{ path: "reason", message: "Write why the rollout is cancelled (at least 10 characters)." }]);
    expect((await post({})).status).toBe(422);
    expect((await post({ reason }, null)).status).toBe(401);
    expect((await post({ reason }, read)).status).toBe(403);
    await expect(cancelRollout(viewer, { rolloutId, reason })).rejects.toMatchObject({ status: 403 });
    expect(await status()).toBe("active");
  });

  it("cancels with the reason: the running wave halts, the planned one will not start by itself, audited", async () => {
    const res = await post({ reason });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: rolloutId, status: "cancelled", cancelReason: reason, haltedWaves: [first] });
    const waveRows = await queryRows<{ id: number; status: string; auto_start: boolean; halt_reason: string | null }>(
      handle.db,
      sql`select id, status::text as status, auto_start, halt_reason from waves where rollout_id = ${rolloutId} order by position`,
    );
    expect(waveRows.map((w) => [w.status, w.auto_start])).toEqual([
      ["halted", false],
      ["planned", false],
    ]);
    expect(waveRows[0].halt_reason).toContain(reason);
    expect(await status()).toBe("cancelled");
    const [entry] = await handle.db.select().from(auditEntries).where(sql`${auditEntries.action} = 'rollout.cancel'`);
    expect(entry).toMatchObject({ targetId: String(rolloutId), before: { status: "active" }, after: { status: "cancelled", reason, haltedWaves: [first] } });
  });

  it("a cancelled rollout offers nothing and changes no more", async () => {
    expect(await getEligibility(viewer, { hostname: "HQ-0", update: "xp-sp2" })).toMatchObject({ eligible: false, reason: "not_in_rollout" });
    await expect(performWaveAction(editor, { rolloutId, waveId: first, action: "resume", reason: "Trying to resume anyway." })).rejects.toMatchObject({ status: 409 });
    await expect(performWaveAction(editor, { rolloutId, waveId: second, action: "start" })).rejects.toMatchObject({ status: 409 });
    expect((await post({ reason })).status).toBe(409);
    expect((await getSilentCounts(viewer, rolloutId, new Date(Date.now() + 30 * 86_400_000))).perWave.get(first)).toBe(0);
  });

  it("the list says it is cancelled and why, and the update may get a new rollout", async () => {
    const page = await listRolloutsPage(viewer, {});
    expect(page.items.find((r) => r.id === rolloutId)).toMatchObject({ status: "cancelled", cancelReason: reason });
    const again = await saveRolloutPlan(editor, { buildId: catalog.builds[1].id, name: "SP2 again", waves: [{ name: "Everyone", targeting: {} }] });
    expect(again.rolloutId).not.toBe(rolloutId);
  });
});
