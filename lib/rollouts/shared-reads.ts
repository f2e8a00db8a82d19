import "server-only";
// Reads that several parts of the rollout page need: the rollout with its update and build, its
// waves, its summary counts and its wave signals (error codes, alerts, delivery channels). The page
// draws the plan, the charts and the impact analysis from the same few
// rows, and on this stack every statement costs a round trip on both sides of the socket, so each
// read is memoised with React's cache(): within one server render it runs once (for the same actor,
// which getPageActor keeps the same object for the whole render); in route handlers, server actions
// and tests (no render scope) every call reads afresh. Each checks that the actor may read rollouts.
import { asc, eq, sql } from "drizzle-orm";
import { cache } from "react";
import { getReadDb } from "@/lib/server/replica-reads";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { builds, deploymentCounts, rollouts, sites, updates, waves, type DeploymentState } from "@/db/schema";
import type { DeploymentAlert, StateCounts } from "@/lib/deployments/states";
import { txRows } from "@/db/tx";

/** The rollout joined with its update and build, or null. */
export const readRolloutRow = cache(async (actor: Actor | null, rolloutId: number) => {
  assertCan(actor, "rollout.read");
  const db = await getReadDb(actor);
  const [row] = await db
    .select({ rollout: rollouts, update: updates, build: builds })
    .from(rollouts)
    .innerJoin(updates, eq(updates.id, rollouts.updateId))
    .innerJoin(builds, eq(builds.id, rollouts.buildId))
    .where(eq(rollouts.id, rolloutId));
  return row ?? null;
});

/** The rollout's waves in order. */
export const readRolloutWaves = cache(async (actor: Actor | null, rolloutId: number) => {
  assertCan(actor, "rollout.read");
  const db = await getReadDb(actor);
  return db.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(asc(waves.position));
});

export type RolloutCountRow = { waveId: number; site: string; osName: string; state: DeploymentState; count: number };

/** deployment_counts of the rollout per (wave, site, OS, state); wave 0 holds its deployments outside any wave. */
export const readRolloutCounts = cache(async (actor: Actor | null, rolloutId: number): Promise<RolloutCountRow[]> => {
  assertCan(actor, "rollout.read");
  const db = await getReadDb(actor);
  const rows = await db
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
    .groupBy(deploymentCounts.waveId, sites.name, deploymentCounts.osName, deploymentCounts.state);
  return rows.map((r) => ({ ...r, count: Number(r.count) })).filter((r) => r.count !== 0);
});

/** The rollout's summary rows summed per wave and state (wave 0: outside every wave). */
export function countsByWave(rows: readonly RolloutCountRow[]): Map<number, StateCounts> {
  const byWave = new Map<number, StateCounts>();
  for (const r of rows) {
    const c = byWave.get(r.waveId) ?? {};
    c[r.state] = (c[r.state] ?? 0) + r.count;
    byWave.set(r.waveId, c);
  }
  return byWave;
}

/** States whose alerts and error codes the rollout page lists: what broke, is held or is stuck in flight. */
export const ATTENTION_STATES: readonly DeploymentState[] = ["failed", "rolled_back", "held", "deferred", "downloading", "installing", "reboot_required"];
export const TOP_ERROR_CODES = 10;

export type RolloutSignals = {
  /** The most frequent error codes among deployments needing attention, most devices first. */
  errorCodes: { errorCode: string; devices: number; failed: number; rolledBack: number; message: string | null }[];
  alerts: { alert: DeploymentAlert; devices: number }[];
};

/** Top error codes and alerts of the rollout's waves, from wave_signal_counts in one statement (offline media: lib/rollouts/media.ts). */
export const readRolloutSignals = cache(async (actor: Actor | null, rolloutId: number): Promise<RolloutSignals> => {
  assertCan(actor, "rollout.read");
  const db = await getReadDb(actor);
  const attention = sql.join(ATTENTION_STATES.map((s) => sql`${s}`), sql`, `);
  const ofRollout = sql`wave_id in (select id from waves where rollout_id = ${rolloutId})`;
  // rank orders error codes and alerts as the database sorts them (most devices, then the value).
  const rows = await txRows<{
    kind: "error_code" | "alert";
    value: string;
    devices: number;
    failed: number;
    rolled_back: number;
    message: string | null;
    rank: number;
  }>(
    db,
    sql`(select 'error_code' as kind, value, sum(count)::int as devices,
                coalesce(sum(count) filter (where state = 'failed'), 0)::int as failed,
                coalesce(sum(count) filter (where state = 'rolled_back'), 0)::int as rolled_back, min(message) as message,
                row_number() over (order by sum(count) desc, value)::int as rank
         from wave_signal_counts
         where ${ofRollout} and signal = 'error_code' and state in (${attention})
         group by value having sum(count) > 0
         order by devices desc, value
         limit ${TOP_ERROR_CODES})
        union all
        (select 'alert', value, sum(count)::int, 0, 0, null, row_number() over (order by sum(count) desc, value)::int
         from wave_signal_counts
         where ${ofRollout} and signal = 'alert' and state in (${attention})
         group by value having sum(count) > 0)`,
  );
  rows.sort((a, b) => Number(a.rank) - Number(b.rank));
  const signals: RolloutSignals = { errorCodes: [], alerts: [] };
  for (const r of rows) {
    const devices = Number(r.devices);
    if (r.kind === "error_code") signals.errorCodes.push({ errorCode: r.value, devices, failed: Number(r.failed), rolledBack: Number(r.rolled_back), message: r.message });
    else signals.alerts.push({ alert: r.value as DeploymentAlert, devices });
  }
  return signals;
});
