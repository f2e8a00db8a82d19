// Property: over random inventories with several updates and rollouts (draft, active, completed,
// cancelled; deployments inside waves, in a rollout outside its waves, or in none), every tile and
// count the overview, sites, update and rollout pages show equals a GROUP BY over the deployments
// and devices — and no figure counts a machine twice.
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type Db, type DbHandle } from "@/db/client";
import * as s from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { Actor } from "@/lib/auth/actor";
import { breakdownRows, groupCounts, waveRate } from "@/lib/dashboards/series";
import { getRolloutDashboard, getUpdateDashboard } from "@/lib/dashboards/queries";
import { ATTENTION_STATES, TOP_ERROR_CODES } from "@/lib/rollouts/shared-reads";
import { getRolloutDetail } from "@/lib/rollouts/queries";
import { listSites } from "@/lib/devices/sites";
import { makeUser } from "@/test/support/fixtures/catalog";
import { DEPLOYMENT_STATES, summarise, type DeploymentState, type StateCounts } from "@/lib/deployments/states";
import { recomputeSummaries } from "@/lib/deployments/summaries";
import { getOverview } from "./queries";

const ROLLOUT_STATUSES = ["draft", "active", "completed", "cancelled"] as const;
const OS_NAMES = ["Windows XP", "Windows 2000"] as const;
const T0 = Date.parse("2004-08-20T08:00:00Z");

const inventory = fc.record({
  sites: fc.integer({ min: 1, max: 3 }),
  departments: fc.integer({ min: 0, max: 2 }),
  devices: fc.array(
    fc.record({ site: fc.nat(), department: fc.option(fc.nat(), { nil: null }), os: fc.constantFrom(...OS_NAMES) }),
    { maxLength: 14 },
  ),
  updates: fc.integer({ min: 1, max: 3 }),
  rollouts: fc.array(
    fc.record({ update: fc.nat(), status: fc.constantFrom(...ROLLOUT_STATUSES), waves: fc.integer({ min: 0, max: 2 }) }),
    { minLength: 1, maxLength: 4 },
  ),
  deployments: fc.array(
    fc.record({
      device: fc.nat(),
      update: fc.nat(),
      state: fc.constantFrom(...DEPLOYMENT_STATES),
      placement: fc.nat(),
      errorCode: fc.option(fc.constantFrom("0x80070070", "0x800F0922", "0x8007000E"), { nil: null }),
      day: fc.integer({ min: 0, max: 3 }),
    }),
    { maxLength: 40 },
  ),
});
type Inventory = typeof inventory extends fc.Arbitrary<infer T> ? T : never;

async function clear(db: Db) {
  await db.execute(sql`delete from deployments`);
  await db.execute(sql`delete from waves`);
  await db.execute(sql`delete from rollouts`);
  await db.execute(sql`delete from builds`);
  await db.execute(sql`delete from updates`);
  await db.execute(sql`delete from devices`);
  await db.execute(sql`delete from departments`);
  await db.execute(sql`delete from sites`);
}

/** Writes the inventory; deployments go in a wave of a rollout of their update, in such a rollout outside its waves, or in none. */
async function load(db: Db, inv: Inventory) {
  await clear(db);
  const sites = await db
    .insert(s.sites)
    .values(Array.from({ length: inv.sites }, (_, i) => ({ name: `Site ${i}`, kind: i === 0 ? ("hq" as const) : ("branch" as const) })))
    .returning({ id: s.sites.id });
  const departments = inv.departments
    ? await db.insert(s.departments).values(Array.from({ length: inv.departments }, (_, i) => ({ name: `Department ${i}` }))).returning({ id: s.departments.id })
    : [];
  const devices = inv.devices.length
    ? await db
        .insert(s.devices)
        .values(
          inv.devices.map((d, i) => ({
            hostname: `WS-${i}`,
            osName: d.os,
            siteId: sites[d.site % sites.length].id,
            departmentId: d.department === null || !departments.length ? null : departments[d.department % departments.length].id,
          })),
        )
        .returning({ id: s.devices.id })
    : [];
  const updates = await db
    .insert(s.updates)
    .values(Array.from({ length: inv.updates }, (_, i) => ({ slug: `update-${i}`, title: `Update ${i}`, vendor: "Microsoft", product: "Windows XP", kind: "security" as const })))
    .returning({ id: s.updates.id });
  const builds = await db
    .insert(s.builds)
    .values(updates.map((u) => ({ updateId: u.id, name: "Final", version: "1.0", kind: "final" as const })))
    .returning({ id: s.builds.id, updateId: s.builds.updateId });
  // Where a deployment of each update may sit: [rolloutId, waveId].
  const places = new Map<number, Array<[number | null, number | null]>>(updates.map((u) => [u.id, [[null, null]]]));
  for (const [i, r] of inv.rollouts.entries()) {
    const update = updates[r.update % updates.length];
    const [rollout] = await db
      .insert(s.rollouts)
      .values({ updateId: update.id, buildId: builds.find((b) => b.updateId === update.id)!.id, name: `Rollout ${i}`, status: r.status })
      .returning({ id: s.rollouts.id });
    places.get(update.id)!.push([rollout.id, null]);
    for (let position = 0; position < r.waves; position++) {
      const [wave] = await db
        .insert(s.waves)
        .values({ rolloutId: rollout.id, position, name: `Wave ${position}`, status: r.status === "active" ? "active" : "planned", gateMinAttempted: 1 })
        .returning({ id: s.waves.id });
      places.get(update.id)!.push([rollout.id, wave.id]);
    }
  }
  const seen = new Set<string>();
  const rows = [];
  for (const d of inv.deployments) {
    if (!devices.length) break;
    const deviceId = devices[d.device % devices.length].id;
    const updateId = updates[d.update % updates.length].id;
    if (seen.has(`${deviceId}:${updateId}`)) continue;
    seen.add(`${deviceId}:${updateId}`);
    const choices = places.get(updateId)!;
    const [rolloutId, waveId] = choices[d.placement % choices.length];
    rows.push({ deviceId, updateId, rolloutId, waveId, state: d.state, errorCode: d.errorCode, stateOccurredAt: new Date(T0 + d.day * 86_400_000) });
  }
  if (rows.length) await db.insert(s.deployments).values(rows);
  await db.transaction((tx) => recomputeSummaries(tx));
}

async function statesBy(db: Db, key: ReturnType<typeof sql>, where: ReturnType<typeof sql>): Promise<Map<string, StateCounts>> {
  const rows = await queryRows<{ key: string; state: DeploymentState; n: number }>(
    db,
    sql`select ${key}::text as key, d.state::text as state, count(*)::int as n
        from deployments d join devices v on v.id = d.device_id join sites st on st.id = v.site_id
        left join departments dep on dep.id = v.department_id
        where ${where} group by 1, 2`,
  );
  const map = new Map<string, StateCounts>();
  for (const r of rows) map.set(r.key, { ...map.get(r.key), [r.state]: r.n });
  return map;
}

async function expectPagesEqualGroupBy(db: Db, viewer: Actor) {
  const [{ machines }] = await queryRows<{ machines: number }>(db, sql`select count(*)::int as machines from devices`);

  // Sites and departments: devices per row.
  const listed = await listSites(viewer);
  const perSite = await queryRows<{ id: number; n: number }>(db, sql`select s.id, count(v.id)::int as n from sites s left join devices v on v.site_id = s.id group by s.id`);
  expect(Object.fromEntries(listed.sites.map((r) => [r.id, r.devices]))).toEqual(Object.fromEntries(perSite.map((r) => [r.id, r.n])));
  const perDepartment = await queryRows<{ id: number; n: number }>(
    db,
    sql`select d.id, count(v.id)::int as n from departments d left join devices v on v.department_id = d.id group by d.id`,
  );
  expect(Object.fromEntries(listed.departments.map((r) => [r.id, r.devices]))).toEqual(Object.fromEntries(perDepartment.map((r) => [r.id, r.n])));

  // Overview: one row of tiles per update with a draft or active rollout, counted over all its deployments.
  const overview = await getOverview(viewer);
  const inFlight = await queryRows<{ slug: string }>(
    db,
    sql`select u.slug from updates u where exists (select 1 from rollouts r where r.update_id = u.id and r.status in ('draft', 'active')) order by u.slug`,
  );
  expect(overview.updates.map((u) => u.slug).sort()).toEqual(inFlight.map((u) => u.slug));
  const byUpdate = await statesBy(db, sql`(select slug from updates where id = d.update_id)`, sql`true`);
  for (const tiles of overview.updates) {
    expect(tiles.totals).toEqual(summarise(byUpdate.get(tiles.slug) ?? {}));
    expect(tiles.totals.total).toBeLessThanOrEqual(machines);
  }
  const byWave = await statesBy(db, sql`d.wave_id`, sql`d.wave_id is not null`);
  const activeOrDraft = await queryRows<{ id: number }>(db, sql`select id from rollouts where status in ('draft', 'active') order by id`);
  expect(overview.rollouts.map((r) => r.id)).toEqual(activeOrDraft.map((r) => r.id));
  for (const rollout of overview.rollouts) {
    for (const wave of rollout.waves) {
      expect(wave.summary).toEqual(summarise(byWave.get(String(wave.id)) ?? {}));
    }
  }

  // Update page: totals, by site, OS and department, and the adoption curve's last point.
  const slugs = await queryRows<{ slug: string; id: number }>(db, sql`select slug, id from updates order by id`);
  for (const { slug, id } of slugs) {
    const dashboard = await getUpdateDashboard(viewer, slug);
    const ofUpdate = sql`d.update_id = ${id}`;
    expect(dashboard.totals).toEqual(summarise(byUpdate.get(slug) ?? {}));
    expect(dashboard.totals.total).toBeLessThanOrEqual(machines);
    expect(dashboard.bySite).toEqual(breakdownRows(await statesBy(db, sql`st.name`, ofUpdate)));
    expect(dashboard.byOs).toEqual(breakdownRows(await statesBy(db, sql`v.os_name`, ofUpdate)));
    expect(dashboard.byDepartment).toEqual(breakdownRows(await statesBy(db, sql`coalesce(dep.name, 'No department')`, ofUpdate)));
    expect(dashboard.adoption.at(-1)?.cumulative ?? 0).toBe(dashboard.totals.installed);
  }

  // Rollout page: per-wave counts, outside any wave, stacks, rates against the gate and top error codes.
  const rollouts = await queryRows<{ id: number }>(db, sql`select id from rollouts order by id`);
  for (const { id } of rollouts) {
    const [detail, dashboard] = await Promise.all([getRolloutDetail(viewer, id), getRolloutDashboard(viewer, id)]);
    for (const wave of detail.waves) {
      const counts = byWave.get(String(wave.id)) ?? {};
      expect(wave.summary).toEqual(summarise(counts));
      const chart = dashboard.waves.find((w) => w.waveId === wave.id)!;
      const groups = groupCounts(counts);
      expect(chart).toEqual({ waveId: wave.id, name: wave.name, position: wave.position, status: wave.status, total: Object.values(groups).reduce((a, b) => a + b, 0), ...groups });
      expect(dashboard.rates.find((r) => r.waveId === wave.id)).toEqual(waveRate({ id: wave.id, name: wave.name, status: wave.status, gate: wave.gate }, counts));
    }
    const [outside] = await queryRows<{ na: number; excluded: number }>(
      db,
      sql`select count(*) filter (where state = 'not_applicable')::int as na, count(*) filter (where state = 'excluded')::int as excluded
          from deployments where rollout_id = ${id} and wave_id is null`,
    );
    expect(detail.outside).toEqual({ notApplicable: outside.na, excluded: outside.excluded });
    const attention = sql.join(ATTENTION_STATES.map((state) => sql`${state}`), sql`, `);
    const codes = await queryRows<{ errorCode: string; devices: number; failed: number; rolledBack: number }>(
      db,
      sql`select error_code as "errorCode", count(*)::int as devices,
                 count(*) filter (where state = 'failed')::int as failed, count(*) filter (where state = 'rolled_back')::int as "rolledBack"
          from deployments where rollout_id = ${id} and wave_id is not null and error_code is not null and state in (${attention})
          group by error_code order by devices desc, error_code limit ${TOP_ERROR_CODES}`,
    );
    expect(dashboard.topErrorCodes.map(({ message: _message, ...code }) => code)).toEqual(codes);
  }
}

describe.each(testDbKinds)("page counts equal a GROUP BY on %s", (kind) => {
  let handle: DbHandle;
  let viewer: Actor;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    viewer = await makeUser(handle.db, "viewer");
  });
  afterAll(() => handle?.close());

  it("every tile and count on the overview, sites, update and rollout pages", async () => {
    await fc.assert(
      fc.asyncProperty(inventory, async (inv) => {
        await load(handle.db, inv);
        await expectPagesEqualGroupBy(handle.db, viewer);
      }),
      { numRuns: kind === "pglite" ? 30 : 20 },
    );
  }, 240_000);

  it("counts the demo story's machines once: a second rollout leaves the first update's tiles as they were", async () => {
    // 10 machines, 3 of them Windows 2000 (not applicable to both updates); 3 of the 7 others installed update 0.
    const devices = Array.from({ length: 10 }, (_, i) => ({ site: i % 2, department: null, os: i < 3 ? ("Windows 2000" as const) : ("Windows XP" as const) }));
    const deploymentsOf = (update: number, placement: number) =>
      devices.map((d, i) => ({
        device: i,
        update,
        state: (d.os === "Windows 2000" ? "not_applicable" : update === 0 && i % 2 === 0 ? "installed" : "pending") as DeploymentState,
        placement,
        errorCode: null,
        day: 0,
      }));
    const base = { sites: 2, departments: 0, devices, updates: 2, rollouts: [{ update: 0, status: "active" as const, waves: 1 }] };
    await load(handle.db, { ...base, deployments: deploymentsOf(0, 2) });
    const before = await getOverview(viewer);
    await load(handle.db, { ...base, rollouts: [...base.rollouts, { update: 1, status: "draft" as const, waves: 1 }], deployments: [...deploymentsOf(0, 2), ...deploymentsOf(1, 2)] });
    const after = await getOverview(viewer);
    expect(after.updates.find((u) => u.slug === "update-0")).toEqual(before.updates.find((u) => u.slug === "update-0"));
    for (const tiles of after.updates) {
      expect(tiles.totals.total).toBe(10);
      expect(tiles.totals.notApplicable).toBe(3);
    }
    expect(after.updates.find((u) => u.slug === "update-0")!.totals.installedPct).toBeCloseTo((3 / 7) * 100);
  });
});
