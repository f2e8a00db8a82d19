// Silent machines (issue #18 item 6) on both databases: which machines of a started wave count as
// silent (against the pure rule, machine by machine), the per-rollout threshold, the device list
// filter and the CSV export agree with the count, and who may change the threshold.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { listDevices } from "@/lib/devices/queries";
import type { DeploymentState } from "@/lib/deployments/states";
import { HttpError } from "@/lib/http/problem";
import { addDevices, makeCatalog, makeUser, type FixtureDevice } from "@/test/support/fixtures/catalog";
import { GET as getDevicesCsv } from "@/app/api/v1/rollouts/[id]/devices.csv/route";
import { performWaveAction } from "./lifecycle";
import { saveRolloutPlan } from "./plan";
import { getRolloutProgress } from "./queries";
import { getSilentCounts, isSilent, setSilentAfterDays } from "./silent";

process.env.AUTH_SECRET ??= "silent-secret-silent-secret-silent-0123";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** hostname → its state and how long ago it last reported (null: never), as ingest would have left it. */
const MACHINES: Record<string, { state: DeploymentState; agoMs: number | null }> = {
  "HQ-0": { state: "pending", agoMs: null }, // never reported since the wave started 12 days ago: silent
  "HQ-1": { state: "downloading", agoMs: 8 * DAY }, // stopped mid-download 8 days ago: silent at 7 days
  "HQ-2": { state: "downloading", agoMs: 6 * DAY }, // reported 6 days ago: not yet
  "HQ-3": { state: "installed", agoMs: 20 * DAY }, // success, never silent
  "HQ-4": { state: "failed", agoMs: 20 * DAY }, // failure, never also silent
  "HQ-5": { state: "rolled_back", agoMs: 20 * DAY },
  "HQ-6": { state: "held", agoMs: null }, // waits for the safeguard hold, not for the machine
  "HQ-7": { state: "reboot_required", agoMs: 7 * DAY + HOUR }, // just past 7 days: silent
  "HQ-8": { state: "scheduled", agoMs: 30 * DAY },
  "HQ-9": { state: "deferred", agoMs: 9 * DAY },
  "CD-0": { state: "pending", agoMs: null }, // offline media: its journey says when it is overdue
};
const SILENT_AT_7 = ["HQ-0", "HQ-1", "HQ-7", "HQ-8", "HQ-9"];

describe.each(testDbKinds)("silent machines on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let rolloutId: number;
  let hqWave: number;
  let leedsWave: number;
  const now = new Date();

  const fleet: FixtureDevice[] = [
    ...Object.keys(MACHINES).map((hostname) => ({ hostname, channel: (hostname.startsWith("CD") ? "offline_media" : "network") as FixtureDevice["channel"] })),
    { hostname: "LDS-0", site: "Leeds" },
    { hostname: "LDS-1", site: "Leeds" },
  ];

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, fleet);
    ({ rolloutId } = await saveRolloutPlan(editor, {
      buildId: catalog.builds[1].id,
      name: "SP2",
      waves: [
        { name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] } },
        { name: "Leeds", targeting: { siteIds: [catalog.site("Leeds").id] } },
      ],
    }));
    const waveRows = await queryRows<{ id: number; position: number }>(handle.db, sql`select id, position from waves where rollout_id = ${rolloutId} order by position`);
    [hqWave, leedsWave] = waveRows.map((w) => w.id);
    await performWaveAction(editor, { rolloutId, waveId: hqWave, action: "start" });
    await handle.db.execute(sql`update waves set started_at = ${new Date(now.getTime() - 12 * DAY).toISOString()}::timestamptz where id = ${hqWave}`);
    for (const [hostname, m] of Object.entries(MACHINES)) {
      const at = m.agoMs === null ? null : new Date(now.getTime() - m.agoMs).toISOString();
      await handle.db.execute(sql`update deployments set state = ${m.state}::deployment_state, last_reported_at = ${at}::timestamptz
        where device_id = (select id from devices where hostname = ${hostname})`);
    }
    // Leeds has not started: its machines never reported, and are not silent (they are waiting).
  });
  afterAll(() => handle?.close());

  const listed = async (extra: Record<string, string> = {}) =>
    (await listDevices(viewer, { update: "xp-sp2", silent: "1", ...extra })).items.map((d) => d.hostname).sort();

  const csvHostnames = async (query: string) => {
    const token = (await createApiToken({ kind: "system", label: "test" }, { name: `reader-${Math.random()}`, scopes: ["read"] })).token;
    const res = await getDevicesCsv(new Request(`http://127.0.0.1:3999/api/v1/rollouts/${rolloutId}/devices.csv?${query}`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({ id: String(rolloutId) }),
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split("\n").slice(1);
    return lines.map((line) => line.split(",")[0]).sort();
  };

  it("counts the machines that stopped reporting in a started wave, and no one else", async () => {
    const { silentAfterDays, perWave } = await getSilentCounts(viewer, rolloutId, now);
    expect(silentAfterDays).toBe(7);
    expect(perWave.get(hqWave)).toBe(SILENT_AT_7.length);
    expect(perWave.get(leedsWave)).toBe(0);
    // The progress answer (GET /api/v1/rollouts/{id}/progress) has the same numbers.
    const progress = await getRolloutProgress(viewer, rolloutId);
    expect(progress.silentAfterDays).toBe(7);
    expect(progress.waves.map((w) => [w.id, w.silent])).toEqual([
      [hqWave, SILENT_AT_7.length],
      [leedsWave, 0],
    ]);
  });

  it("agrees machine by machine with the rule as a pure function", async () => {
    const rows = await queryRows<{ hostname: string; state: DeploymentState; channel: string; last_reported_at: string | Date | null }>(
      handle.db,
      sql`select v.hostname, d.state::text as state, d.channel::text as channel, d.last_reported_at from deployments d join devices v on v.id = d.device_id where d.wave_id = ${hqWave}`,
    );
    const wave = { status: "active", startedAt: new Date(now.getTime() - 12 * DAY) };
    const byRule = rows
      .filter((r) => isSilent({ state: r.state, channel: r.channel, lastReportedAt: r.last_reported_at === null ? null : new Date(r.last_reported_at) }, wave, 7, now))
      .map((r) => r.hostname)
      .sort();
    expect(byRule).toEqual(SILENT_AT_7);
    // The rule's edges: a wave younger than the threshold has no silent machines yet; a completed wave has none.
    expect(isSilent({ state: "pending", channel: "network", lastReportedAt: null }, { status: "active", startedAt: new Date(now.getTime() - 6 * DAY) }, 7, now)).toBe(false);
    expect(isSilent({ state: "pending", channel: "network", lastReportedAt: null }, { status: "completed", startedAt: wave.startedAt }, 7, now)).toBe(false);
    expect(isSilent({ state: "pending", channel: "network", lastReportedAt: null }, { status: "halted", startedAt: wave.startedAt }, 7, now)).toBe(true);
  });

  it("lists them in the device list and the CSV export, the same machines the count has", async () => {
    expect(await listed()).toEqual(SILENT_AT_7);
    expect(await listed({ wave: String(leedsWave) })).toEqual([]);
    expect(await csvHostnames("silent=1")).toEqual(SILENT_AT_7);
    expect(await csvHostnames(`silent=1&wave=${hqWave}&state=downloading`)).toEqual(["HQ-1"]);
    // Without the filter the export still has every machine of the rollout.
    expect((await csvHostnames("")).length).toBe(fleet.length);
  });

  it("the threshold is per rollout: 10 days leaves only the machines quiet for longer", async () => {
    await setSilentAfterDays(editor, { rolloutId, silentAfterDays: "10" });
    const { silentAfterDays, perWave } = await getSilentCounts(viewer, rolloutId);
    expect(silentAfterDays).toBe(10);
    expect(perWave.get(hqWave)).toBe(2);
    expect(await listed()).toEqual(["HQ-0", "HQ-8"]);
    const [entry] = await handle.db.select().from(auditEntries).where(sql`${auditEntries.action} = 'rollout.silent_after_days'`);
    expect(entry).toMatchObject({ targetType: "rollout", targetId: String(rolloutId), before: { silentAfterDays: 7 }, after: { silentAfterDays: 10 } });
  });

  it("refuses a viewer (403), 0 days (422 at the field) and an unknown rollout (404), changing nothing", async () => {
    await expect(setSilentAfterDays(viewer, { rolloutId, silentAfterDays: 3 })).rejects.toMatchObject({ status: 403 });
    const zero = await setSilentAfterDays(editor, { rolloutId, silentAfterDays: 0 }).catch((e: HttpError) => e);
    expect(zero).toBeInstanceOf(HttpError);
    expect((zero as HttpError).status).toBe(422);
    expect(JSON.stringify((zero as HttpError).extra)).toContain("silentAfterDays");
    await expect(setSilentAfterDays(editor, { rolloutId: 999_999, silentAfterDays: 3 })).rejects.toMatchObject({ status: 404 });
    expect((await getSilentCounts(viewer, rolloutId)).silentAfterDays).toBe(10);
  });

  it("a completed wave has no silent machines", async () => {
    await performWaveAction(editor, { rolloutId, waveId: hqWave, action: "complete" });
    expect((await getSilentCounts(viewer, rolloutId)).perWave.get(hqWave)).toBe(0);
    expect(await listed()).toEqual([]);
  });
});
