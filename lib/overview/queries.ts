import "server-only";
// What the overview shows, read from the summary tables (never a scan of deployments).
import { asc, eq, inArray, sql } from "drizzle-orm";
import { sharedCountedData } from "@/lib/cache/page-data";
import { getReadDbAsOf } from "@/lib/server/replica-reads";
import { deploymentCounts, knownIssues, rollouts, updates, waves, type DeploymentState } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { summarise, type StateCounts } from "@/lib/deployments/states";
import { judgeGate, type GateStatus } from "@/lib/rollouts/gate-rule";
import { installsInWindow, waveCalendar, type WaveCalendar } from "@/lib/rollouts/calendar";

export type WaveProgress = {
  id: number;
  position: number;
  name: string;
  status: string;
  haltReason: string | null;
  gate: WaveGate;
  /** The gate's verdict on the current counts (lib/rollouts/gate-rule.ts), one sentence with the numbers. */
  gateStatus: GateStatus;
  gateReason: string;
  counts: StateCounts;
  summary: ReturnType<typeof summarise>;
  /** Dates, target and deadline forecast (lib/rollouts/calendar.ts): a manager sees which waves will miss their date. */
  calendar: WaveCalendar;
};

export type WaveGate = { minSuccessPct: number; maxFailurePct: number; minAttempted: number };

/**
 * One update with a draft or active rollout, counted over all its deployments: a machine has one
 * deployment per update, so every figure here counts machines, each once. Figures are never added
 * across updates (a machine in two updates' rollouts would count twice).
 */
export type UpdateInFlight = {
  slug: string;
  title: string;
  totals: ReturnType<typeof summarise>;
};

export type RolloutProgress = {
  id: number;
  name: string;
  status: string;
  update: { slug: string; title: string };
  waves: WaveProgress[];
};

export async function getOverview(actor: Actor | null) {
  assertCan(actor, "dashboard.read");
  const { db, asOf } = await getReadDbAsOf(actor);
  const rolloutRows = await db
    .select({ id: rollouts.id, name: rollouts.name, status: rollouts.status, updateId: rollouts.updateId, slug: updates.slug, title: updates.title })
    .from(rollouts)
    .innerJoin(updates, eq(updates.id, rollouts.updateId))
    .where(inArray(rollouts.status, ["active", "draft"]))
    .orderBy(asc(rollouts.id));
  const rolloutIds = rolloutRows.map((r) => r.id);
  const updateIds = [...new Set(rolloutRows.map((r) => r.updateId))];

  const [waveRows, countRows, updateCountRows, issueRows] = await Promise.all([
    rolloutIds.length
      ? db.select().from(waves).where(inArray(waves.rolloutId, rolloutIds)).orderBy(asc(waves.rolloutId), asc(waves.position))
      : Promise.resolve([]),
    rolloutIds.length
      ? db
          .select({
            waveId: deploymentCounts.waveId,
            state: deploymentCounts.state,
            count: sql<number>`sum(${deploymentCounts.count})::int`,
          })
          .from(deploymentCounts)
          .where(inArray(deploymentCounts.rolloutId, rolloutIds))
          .groupBy(deploymentCounts.waveId, deploymentCounts.state)
      : Promise.resolve([]),
    updateIds.length
      ? db
          .select({
            updateId: deploymentCounts.updateId,
            state: deploymentCounts.state,
            count: sql<number>`sum(${deploymentCounts.count})::int`,
          })
          .from(deploymentCounts)
          .where(inArray(deploymentCounts.updateId, updateIds))
          .groupBy(deploymentCounts.updateId, deploymentCounts.state)
      : Promise.resolve([]),
    db
      .select({ status: knownIssues.status, count: sql<number>`count(*)::int` })
      .from(knownIssues)
      .groupBy(knownIssues.status),
  ]);

  const countsByWave = new Map<number, StateCounts>();
  for (const row of countRows) {
    const counts = countsByWave.get(row.waveId) ?? {};
    counts[row.state as DeploymentState] = row.count;
    countsByWave.set(row.waveId, counts);
  }

  // The forecast counts the installs of the last 7 days of the waves under way: an index-only read, but
  // one that grows with the installs (~240 ms at 1,000,000 devices), so it is a slow shared read (30 s,
  // recounted behind the last count; a 7-day rate a few seconds old moves no forecast).
  const now = new Date();
  const waveKey = waveRows.map((w) => `${w.id}:${w.status}`).join(",");
  const { value: installedRecently } = await sharedCountedData(actor, "dashboard.read", `overview-installs-7d:${waveKey}`, () =>
    installsInWindow(db, waveRows, now),
  );
  const result: RolloutProgress[] = rolloutRows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    update: { slug: r.slug, title: r.title },
    waves: waveRows
      .filter((w) => w.rolloutId === r.id)
      .map((w) => {
        const counts = countsByWave.get(w.id) ?? {};
        const gate = { minSuccessPct: w.gateMinSuccessPct, maxFailurePct: w.gateMaxFailurePct, minAttempted: w.gateMinAttempted };
        const verdict = judgeGate(counts, gate);
        return {
          id: w.id,
          position: w.position,
          name: w.name,
          status: w.status,
          haltReason: w.haltReason,
          gate,
          gateStatus: verdict.status,
          gateReason: verdict.reason,
          counts,
          summary: summarise(counts),
          calendar: waveCalendar(w, summarise(counts), installedRecently.get(w.id) ?? 0, now),
        };
      }),
  }));

  const countsByUpdate = new Map<number, StateCounts>();
  for (const row of updateCountRows) {
    const counts = countsByUpdate.get(row.updateId) ?? {};
    counts[row.state as DeploymentState] = row.count;
    countsByUpdate.set(row.updateId, counts);
  }
  const updatesInFlight: UpdateInFlight[] = updateIds.map((id) => {
    const first = rolloutRows.find((r) => r.updateId === id)!;
    return { slug: first.slug, title: first.title, totals: summarise(countsByUpdate.get(id) ?? {}) };
  });

  return {
    // From the read replica, the numbers are as of what it had replayed, not of now.
    generatedAt: (asOf ?? new Date()).toISOString(),
    updates: updatesInFlight,
    rollouts: result,
    deadlineRisks: result.flatMap((r) =>
      r.waves.filter((w) => w.calendar.forecast.status === "at_risk" || w.calendar.forecast.status === "late").map((w) => ({ rollout: { id: r.id, name: r.name }, wave: w })),
    ),
    haltedWaves: result.flatMap((r) => r.waves.filter((w) => w.status === "halted").map((w) => ({ rollout: r, wave: w }))),
    knownIssuesByStatus: Object.fromEntries(issueRows.map((r) => [r.status, r.count])) as Record<string, number>,
  };
}

export type Overview = Awaited<ReturnType<typeof getOverview>>;
