import "server-only";
// Reads for the update and rollout charts. Counts come from the summary tables (deployment_counts,
// adoption_daily, and wave_signal_counts for a rollout's error codes and alerts), which ingest keeps
// equal to a GROUP BY over deployments in the same transaction.
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { adoptionDaily, departments, deploymentCounts, sites, updates, type DeploymentState } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { ALERT_REMEDIES, summarise, type DeploymentAlert, type StateCounts } from "@/lib/deployments/states";
import { HttpError } from "@/lib/http/problem";
import { gateOf } from "@/lib/rollouts/gates";
import { replicaAsOf } from "@/lib/server/replica-reads";
import { countsByWave, readRolloutCounts, readRolloutRow, readRolloutSignals, readRolloutWaves } from "@/lib/rollouts/shared-reads";
import { readWaveBuilds } from "@/lib/rollouts/build-mix";
import { breakdownRows, cumulativeAdoption, groupCounts, waveRate, withBehind, type AdoptionPoint, type BreakdownRow, type WaveChartRow, type WaveRate } from "./series";

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

export async function getRolloutDashboard(actor: Actor | null, rolloutId: number): Promise<RolloutDashboard> {
  assertCan(actor, "rollout.read");
  const [row, waveRows, counts, signals, asOf, waveBuilds] = await Promise.all([
    readRolloutRow(actor, rolloutId),
    readRolloutWaves(actor, rolloutId),
    readRolloutCounts(actor, rolloutId),
    readRolloutSignals(actor, rolloutId),
    replicaAsOf(actor),
    readWaveBuilds(actor, rolloutId),
  ]);
  if (!row) throw new HttpError(404, "No such rollout.");
  const byWave = countsByWave(counts);
  const siteNames = new Set(counts.map((r) => r.site));
  const osNames = new Set(counts.map((r) => r.osName));

  return {
    // From the read replica, the numbers are as of what it had replayed, not of now.
    generatedAt: (asOf ?? new Date()).toISOString(),
    rollout: { id: row.rollout.id, name: row.rollout.name, status: row.rollout.status, update: { slug: row.update.slug, title: row.update.title } },
    waves: waveRows.map((w) => {
      const groups = withBehind(groupCounts(byWave.get(w.id) ?? {}), waveBuilds.get(w.id)?.behind ?? 0);
      return { waveId: w.id, name: w.name, position: w.position, status: w.status, total: Object.values(groups).reduce((a, b) => a + b, 0), ...groups };
    }),
    rates: waveRows.map((w) =>
      waveRate({ id: w.id, name: w.name, status: w.status, gate: gateOf(w) }, byWave.get(w.id) ?? {}),
    ),
    topErrorCodes: signals.errorCodes,
    alerts: signals.alerts.map((a) => ({ ...a, remedy: ALERT_REMEDIES[a.alert] ?? "" })),
    filterOptions: {
      waves: waveRows.map((w) => ({ id: w.id, name: w.name })),
      sites: [...siteNames].sort((a, b) => a.localeCompare(b)),
      osNames: [...osNames].sort((a, b) => a.localeCompare(b)),
    },
  };
}
