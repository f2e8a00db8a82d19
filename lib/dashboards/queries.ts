import "server-only";
// Reads for the update and rollout charts. Counts come from the summary tables (deployment_counts,
// adoption_daily, and wave_signal_counts for a rollout's error codes and alerts), which ingest keeps
// equal to a GROUP BY over deployments in the same transaction.
import { asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { adoptionDaily, departments, deploymentCounts, rollouts, sites, updates, waves, type DeploymentState } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { ALERT_REMEDIES, summarise, type DeploymentAlert, type StateCounts } from "@/lib/deployments/states";
import { HttpError } from "@/lib/http/problem";
import { txRows } from "@/lib/rollouts/tx";
import { breakdownRows, cumulativeAdoption, groupCounts, waveRate, type AdoptionPoint, type BreakdownRow, type WaveChartRow, type WaveRate } from "./series";

const add = (map: Map<string, StateCounts>, label: string, state: DeploymentState, count: number) => {
  const counts = map.get(label) ?? {};
  counts[state] = (counts[state] ?? 0) + count;
  map.set(label, counts);
};

// ---------------------------------------------------------------- update: adoption over time, by site and OS

export type UpdateDashboard = {
  generatedAt: string;
  update: { slug: string; title: string };
  totals: ReturnType<typeof summarise>;
  adoption: AdoptionPoint[];
  bySite: BreakdownRow[];
  byOs: BreakdownRow[];
  byDepartment: BreakdownRow[];
};

async function findUpdate(slug: string) {
  const db = await getDb();
  const [update] = await db.select({ id: updates.id, slug: updates.slug, title: updates.title }).from(updates).where(eq(updates.slug, slug));
  if (!update) throw new HttpError(404, `No update with slug ${slug}.`);
  return { db, update };
}

export async function getUpdateDashboard(actor: Actor | null, slug: string): Promise<UpdateDashboard> {
  assertCan(actor, "dashboard.read");
  const { db, update } = await findUpdate(slug);
  const [days, counts] = await Promise.all([
    db.select({ day: adoptionDaily.day, installed: adoptionDaily.installed }).from(adoptionDaily).where(eq(adoptionDaily.updateId, update.id)),
    db
      .select({
        site: sites.name,
        osName: deploymentCounts.osName,
        department: departments.name,
        state: deploymentCounts.state,
        count: sql<number>`sum(${deploymentCounts.count})::int`,
      })
      .from(deploymentCounts)
      .innerJoin(sites, eq(sites.id, deploymentCounts.siteId))
      .leftJoin(departments, eq(departments.id, deploymentCounts.departmentId))
      .where(eq(deploymentCounts.updateId, update.id))
      .groupBy(sites.name, deploymentCounts.osName, departments.name, deploymentCounts.state),
  ]);
  const bySite = new Map<string, StateCounts>();
  const byOs = new Map<string, StateCounts>();
  const byDepartment = new Map<string, StateCounts>();
  const totals: StateCounts = {};
  for (const row of counts) {
    const n = Number(row.count);
    if (n === 0) continue;
    add(bySite, row.site, row.state, n);
    add(byOs, row.osName, row.state, n);
    // Department 0 in the summary key = the device has none.
    add(byDepartment, row.department ?? "No department", row.state, n);
    totals[row.state] = (totals[row.state] ?? 0) + n;
  }
  return {
    generatedAt: new Date().toISOString(),
    update: { slug: update.slug, title: update.title },
    totals: summarise(totals),
    adoption: cumulativeAdoption(days.map((d) => ({ day: d.day, installed: Number(d.installed) }))),
    bySite: breakdownRows(bySite),
    byOs: breakdownRows(byOs),
    byDepartment: breakdownRows(byDepartment),
  };
}

// ---------------------------------------------------------------- rollout: waves, rates vs gate, error codes, alerts

export type ErrorCodeRow = { errorCode: string; devices: number; failed: number; rolledBack: number; message: string | null };
export type AlertRow = { alert: DeploymentAlert; devices: number; remedy: string };

export type RolloutDashboard = {
  generatedAt: string;
  rollout: { id: number; name: string; status: string; update: { slug: string; title: string } };
  waves: WaveChartRow[];
  rates: WaveRate[];
  topErrorCodes: ErrorCodeRow[];
  alerts: AlertRow[];
  /** What the CSV export can be filtered by (from the summary table). */
  filterOptions: { waves: { id: number; name: string }[]; sites: string[]; osNames: string[] };
};

/** States whose alerts and error codes the rollout page lists: what broke, is held or is stuck in flight. */
const ATTENTION_STATES: readonly DeploymentState[] = ["failed", "rolled_back", "held", "deferred", "downloading", "installing", "reboot_required"];
export const TOP_ERROR_CODES = 10;

export async function getRolloutDashboard(actor: Actor | null, rolloutId: number): Promise<RolloutDashboard> {
  assertCan(actor, "rollout.read");
  const db = await getDb();
  const [[rollout], waveRows] = await Promise.all([
    db
      .select({ id: rollouts.id, name: rollouts.name, status: rollouts.status, slug: updates.slug, title: updates.title })
      .from(rollouts)
      .innerJoin(updates, eq(updates.id, rollouts.updateId))
      .where(eq(rollouts.id, rolloutId)),
    db
      .select({
        id: waves.id,
        name: waves.name,
        position: waves.position,
        status: waves.status,
        minSuccessPct: waves.gateMinSuccessPct,
        maxFailurePct: waves.gateMaxFailurePct,
        minAttempted: waves.gateMinAttempted,
      })
      .from(waves)
      .where(eq(waves.rolloutId, rolloutId))
      .orderBy(asc(waves.position)),
  ]);
  if (!rollout) throw new HttpError(404, "No such rollout.");
  const waveIds = waveRows.map((w) => w.id);
  const waveList = sql.join(waveIds.map((id) => sql`${id}`), sql`, `);
  const stateList = sql.join(ATTENTION_STATES.map((s) => sql`${s}`), sql`, `);

  const [counts, errorRows, alertRows] = await Promise.all([
    db
      .select({
        waveId: deploymentCounts.waveId,
        site: sites.name,
        osName: deploymentCounts.osName,
        state: deploymentCounts.state,
        count: sql<number>`sum(${deploymentCounts.count})::int`,
      })
      .from(deploymentCounts)
      .innerJoin(sites, eq(sites.id, deploymentCounts.siteId))
      .where(eq(deploymentCounts.rolloutId, rolloutId))
      .groupBy(deploymentCounts.waveId, sites.name, deploymentCounts.osName, deploymentCounts.state),
    waveIds.length
      ? txRows<{ error_code: string; devices: number; failed: number; rolled_back: number; message: string | null }>(
          db,
          sql`select value as error_code, sum(count)::int as devices,
                     coalesce(sum(count) filter (where state = 'failed'), 0)::int as failed,
                     coalesce(sum(count) filter (where state = 'rolled_back'), 0)::int as rolled_back,
                     min(message) as message
              from wave_signal_counts
              where wave_id in (${waveList}) and signal = 'error_code' and state in (${stateList})
              group by value
              having sum(count) > 0
              order by devices desc, error_code
              limit ${TOP_ERROR_CODES}`,
        )
      : Promise.resolve([]),
    waveIds.length
      ? txRows<{ alert: DeploymentAlert; devices: number }>(
          db,
          sql`select value as alert, sum(count)::int as devices
              from wave_signal_counts
              where wave_id in (${waveList}) and signal = 'alert' and state in (${stateList})
              group by value
              having sum(count) > 0
              order by devices desc, alert`,
        )
      : Promise.resolve([]),
  ]);

  const byWave = new Map<number, StateCounts>();
  const siteNames = new Set<string>();
  const osNames = new Set<string>();
  for (const row of counts) {
    const n = Number(row.count);
    if (n === 0) continue;
    siteNames.add(row.site);
    osNames.add(row.osName);
    const c = byWave.get(row.waveId) ?? {};
    c[row.state] = (c[row.state] ?? 0) + n;
    byWave.set(row.waveId, c);
  }

  return {
    generatedAt: new Date().toISOString(),
    rollout: { id: rollout.id, name: rollout.name, status: rollout.status, update: { slug: rollout.slug, title: rollout.title } },
    waves: waveRows.map((w) => {
      const groups = groupCounts(byWave.get(w.id) ?? {});
      return { waveId: w.id, name: w.name, position: w.position, status: w.status, total: Object.values(groups).reduce((a, b) => a + b, 0), ...groups };
    }),
    rates: waveRows.map((w) =>
      waveRate({ id: w.id, name: w.name, status: w.status, gate: { minSuccessPct: w.minSuccessPct, maxFailurePct: w.maxFailurePct, minAttempted: w.minAttempted } }, byWave.get(w.id) ?? {}),
    ),
    topErrorCodes: errorRows.map((r) => ({ errorCode: r.error_code, devices: Number(r.devices), failed: Number(r.failed), rolledBack: Number(r.rolled_back), message: r.message })),
    alerts: alertRows.map((r) => ({ alert: r.alert, devices: Number(r.devices), remedy: ALERT_REMEDIES[r.alert] ?? "" })),
    filterOptions: {
      waves: waveRows.map((w) => ({ id: w.id, name: w.name })),
      sites: [...siteNames].sort((a, b) => a.localeCompare(b)),
      osNames: [...osNames].sort((a, b) => a.localeCompare(b)),
    },
  };
}
