import "server-only";
// Readiness per wave (issue #17): how many of a wave's machines (deployments of the update that are
// not not_applicable) carry an app that is broken, untested or works with a workaround on the wave's
// build — each machine under the worst cell of its apps — plus the machines behind each count, and the
// wave's readiness rule (at most X % of its machines with untested apps before it may start).
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { Wave } from "@/db/schema";
import { txRows, type Tx } from "@/db/tx";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { formatNumber, formatPercent } from "@/lib/format";
import { HttpError } from "@/lib/http/problem";
import { currentCells } from "./matrix";
import { CellIndex, READINESS_RANK, READINESS_STATUSES, statusOfRank, untestedPct, type ReadinessStatus, type WaveReadiness } from "./model";

type WaveRow = { id: number; name: string; position: number; status: string; build_id: number | null; build: string | null; update_id: number; max_untested_pct: number | null };

async function rolloutWaves(tx: Tx, rolloutId: number): Promise<WaveRow[]> {
  return txRows<WaveRow>(tx, sql`
    select w.id, w.name, w.position, w.status, coalesce(w.build_id, r.build_id) as build_id, b.name as build, r.update_id,
           w.readiness_max_untested_pct as max_untested_pct
    from waves w join rollouts r on r.id = w.rollout_id
    left join builds b on b.id = coalesce(w.build_id, r.build_id)
    where w.rollout_id = ${rolloutId} order by w.position`);
}

/**
 * The status of every (build, app, version) the waves' machines carry that is not untested, as
 * parallel arrays for the query below (untested is what an absent pair means).
 */
async function knownStatuses(tx: Tx, waves: WaveRow[]) {
  const out = { buildIds: [] as number[], appIds: [] as number[], versions: [] as string[], ranks: [] as number[] };
  if (waves.length === 0) return out;
  const cells = await currentCells(tx, waves[0].update_id);
  if (cells.length === 0) return out;
  const index = new CellIndex(cells);
  const cellApps = [...new Set(cells.map((c) => c.appId))];
  const found = await txRows<{ app_id: number; version: string }>(tx, sql`
    select distinct da.app_id, da.version from device_apps da
    where da.app_id = any(${sql.param(cellApps)}::int[])
      and exists (select 1 from deployments d where d.device_id = da.device_id and d.wave_id = any(${sql.param(waves.map((w) => w.id))}::int[]))`);
  for (const buildId of new Set(waves.map((w) => w.build_id).filter((b): b is number => b !== null))) {
    for (const f of found) {
      const status = index.statusOf(Number(f.app_id), f.version, buildId);
      if (status === "untested") continue;
      out.buildIds.push(buildId);
      out.appIds.push(Number(f.app_id));
      out.versions.push(f.version);
      out.ranks.push(READINESS_RANK[status]);
    }
  }
  return out;
}

/** Each in-scope machine of the waves with the worst rank of its apps (null: none) and whether any app is untested. */
function machinesSql(waves: WaveRow[], known: Awaited<ReturnType<typeof knownStatuses>>) {
  return sql`
    known(build_id, app_id, version, rank) as (
      select * from unnest(${sql.param(known.buildIds)}::int[], ${sql.param(known.appIds)}::int[], ${sql.param(known.versions)}::text[], ${sql.param(known.ranks)}::int[])),
    wv(wave_id, build_id) as (
      select * from unnest(${sql.param(waves.map((w) => w.id))}::int[], ${sql.param(waves.map((w) => w.build_id ?? 0))}::int[])),
    machine as (
      select d.wave_id, d.device_id,
             max(coalesce(k.rank, ${READINESS_RANK.untested})) filter (where da.app_id is not null) as worst,
             coalesce(bool_or(da.app_id is not null and coalesce(k.rank, ${READINESS_RANK.untested}) = ${READINESS_RANK.untested}), false) as any_untested
      from deployments d
      join wv on wv.wave_id = d.wave_id
      left join device_apps da on da.device_id = d.device_id
      left join known k on k.build_id = wv.build_id and k.app_id = da.app_id and k.version = da.version
      where d.state <> 'not_applicable'
      group by d.wave_id, d.device_id)`;
}

function ruleBreached(machines: number, withUntested: number, max: number | null): boolean {
  return max !== null && machines > 0 && withUntested * 100 > max * machines;
}

/** Which waves to count: all, these ids, or the planned ones (the rollout page shows readiness before a wave starts). */
export type WaveSelection = readonly number[] | "planned" | undefined;

/** Readiness of the rollout's waves (only the selected ones when given): wave id → counts. */
export async function readinessByWave(tx: Tx, rolloutId: number, waveIds?: WaveSelection): Promise<Map<number, WaveReadiness>> {
  const waves = (await rolloutWaves(tx, rolloutId)).filter((w) => !waveIds || (waveIds === "planned" ? w.status === "planned" : waveIds.includes(w.id)));
  const result = new Map<number, WaveReadiness>();
  if (waves.length === 0) return result;
  const known = await knownStatuses(tx, waves);
  const rows = await txRows<{ wave_id: number; machines: number; broken: number; untested: number; wwa: number; works: number; no_apps: number; with_untested: number }>(tx, sql`
    with ${machinesSql(waves, known)}
    select wave_id, count(*)::int as machines,
           count(*) filter (where worst = ${READINESS_RANK.broken})::int as broken,
           count(*) filter (where worst = ${READINESS_RANK.untested})::int as untested,
           count(*) filter (where worst = ${READINESS_RANK.works_with_workaround})::int as wwa,
           count(*) filter (where worst = ${READINESS_RANK.works})::int as works,
           count(*) filter (where worst is null)::int as no_apps,
           count(*) filter (where any_untested)::int as with_untested
    from machine group by wave_id`);
  for (const w of waves) {
    const r = rows.find((x) => Number(x.wave_id) === w.id);
    const machines = Number(r?.machines ?? 0);
    const withUntested = Number(r?.with_untested ?? 0);
    result.set(w.id, {
      waveId: w.id,
      build: w.build,
      machines,
      broken: Number(r?.broken ?? 0),
      untested: Number(r?.untested ?? 0),
      worksWithWorkaround: Number(r?.wwa ?? 0),
      works: Number(r?.works ?? 0),
      noApps: Number(r?.no_apps ?? 0),
      withUntestedApps: withUntested,
      withUntestedAppsPct: untestedPct(withUntested, machines),
      maxUntestedPct: w.max_untested_pct,
      ruleBreached: ruleBreached(machines, withUntested, w.max_untested_pct),
    });
  }
  return result;
}

/** For pages and the API: the rollout's waves' readiness (only the selected ones when given). */
export async function readinessForRollout(actor: Actor | null, rolloutId: number, waveIds?: WaveSelection): Promise<Map<number, WaveReadiness>> {
  assertCan(actor, "rollout.read");
  return readinessByWave(await getDb(), rolloutId, waveIds);
}

/** Why the readiness rule keeps `wave` from starting (null when it does not); lifecycle.ts lets a written reason override it. */
export async function readinessStartRefusal(tx: Tx, wave: Pick<Wave, "id" | "name" | "rolloutId" | "readinessMaxUntestedPct">): Promise<string | null> {
  if (wave.readinessMaxUntestedPct === null) return null;
  const readiness = (await readinessByWave(tx, wave.rolloutId, [wave.id])).get(wave.id);
  if (!readiness?.ruleBreached) return null;
  return (
    `"${wave.name}": ${formatNumber(readiness.withUntestedApps)} of ${formatNumber(readiness.machines)} machines (${formatPercent(readiness.withUntestedAppsPct)}) carry apps untested on ${readiness.build ?? "its build"}, ` +
    `more than its readiness rule allows (${readiness.maxUntestedPct} %). Mark the apps in the update's readiness matrix, or give a written reason to start it anyway (it is kept in the audit log).`
  );
}

export const MACHINE_FILTERS = [...READINESS_STATUSES, "with_untested", "no_apps", "all"] as const;
export type MachineFilter = (typeof MACHINE_FILTERS)[number];
export const MACHINES_PAGE_SIZE = 100;

export type ReadinessMachine = { hostname: string; site: string; department: string | null; worst: ReadinessStatus | null; apps: { name: string; version: string; status: ReadinessStatus }[] };

/** The machines behind a wave's count, 100 a page, with each app and its status on the wave's build. */
export async function listReadinessMachines(actor: Actor | null, rolloutId: number, query: { wave: number; status: MachineFilter; page?: number }) {
  assertCan(actor, "rollout.read");
  const db = await getDb();
  const waves = (await rolloutWaves(db, rolloutId)).filter((w) => w.id === query.wave);
  if (waves.length === 0) throw new HttpError(404, "No such wave in this rollout.");
  const [wave] = waves;
  const known = await knownStatuses(db, waves);
  const where =
    query.status === "all" ? sql`true`
    : query.status === "with_untested" ? sql`any_untested`
    : query.status === "no_apps" ? sql`worst is null`
    : sql`worst = ${READINESS_RANK[query.status]}`;
  const page = Math.max(1, query.page ?? 1);
  const rows = await txRows<{ device_id: number; hostname: string; site: string; department: string | null; worst: number | null; total: number }>(db, sql`
    with ${machinesSql(waves, known)}
    select m.device_id, dv.hostname, s.name as site, dep.name as department, m.worst, count(*) over ()::int as total
    from machine m join devices dv on dv.id = m.device_id join sites s on s.id = dv.site_id
    left join departments dep on dep.id = dv.department_id
    where ${where}
    order by lower(dv.hostname)
    limit ${MACHINES_PAGE_SIZE} offset ${(page - 1) * MACHINES_PAGE_SIZE}`);
  const ids = rows.map((r) => Number(r.device_id));
  const appRows = ids.length
    ? await txRows<{ device_id: number; app_id: number; name: string; version: string }>(db, sql`
        select da.device_id, da.app_id, a.name, da.version from device_apps da join apps a on a.id = da.app_id
        where da.device_id = any(${sql.param(ids)}::int[]) order by a.name`)
    : [];
  const rank = new Map(known.appIds.map((appId, i) => [`${known.buildIds[i]}:${appId}:${known.versions[i]}`, known.ranks[i]]));
  const statusOf = (appId: number, version: string) => statusOfRank(rank.get(`${wave.build_id ?? 0}:${appId}:${version}`) ?? READINESS_RANK.untested);
  const machines: ReadinessMachine[] = rows.map((r) => ({
    hostname: r.hostname,
    site: r.site,
    department: r.department,
    worst: r.worst === null ? null : statusOfRank(Number(r.worst)),
    apps: appRows
      .filter((a) => Number(a.device_id) === Number(r.device_id))
      .map((a) => ({ name: a.name, version: a.version, status: statusOf(Number(a.app_id), a.version) }))
      .sort((a, b) => READINESS_RANK[b.status] - READINESS_RANK[a.status] || a.name.localeCompare(b.name)),
  }));
  return { wave: { id: wave.id, name: wave.name, build: wave.build }, total: Number(rows[0]?.total ?? 0), page, pageSize: MACHINES_PAGE_SIZE, machines };
}
