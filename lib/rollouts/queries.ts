import "server-only";
// Reads for the rollout pages and the API: rollouts with their waves, and per-wave progress
// (per-state counts from the summary table, failure rate, gate verdict, halt reason).
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { getReadDb } from "@/lib/server/replica-reads";
import { builds, deploymentCounts, rollouts, updates, type WaveTargeting } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { summarise, type StateCounts } from "@/lib/deployments/states";
import { HttpError } from "@/lib/http/problem";
import { judgeGate, type GateVerdict } from "./gate-rule";
import { gateOf } from "./gates";
import { blockingIssuesForWaves, ensureWaveScheduler, type BlockingIssue } from "./lifecycle";
import { countsByWave, readRolloutCounts, readRolloutRow, readRolloutWaves } from "./shared-reads";
import { installsInWindow, waveCalendar, type WaveCalendar } from "./calendar";
import { readWaveDateMoves, type WaveDateMoveView } from "./slip-moves";
import { silentCountsByWave } from "./silent";
import { selectRolloutRows, withWaves } from "./list-page";

export type RolloutListItem = {
  id: number;
  name: string;
  status: string;
  update: { slug: string; title: string };
  build: { id: number; name: string };
  createdAt: string;
  waves: { id: number; name: string; position: number; status: string }[];
};

/** The newest 100 rollouts (of one update), for the planner's check for an open one; the list pages use listRolloutsPage. */
export async function listRollouts(actor: Actor | null, filter: { update?: string } = {}): Promise<RolloutListItem[]> {
  assertCan(actor, "rollout.read");
  const db = await getReadDb(actor);
  const rows = await selectRolloutRows(db)
    .where(filter.update ? eq(updates.slug, filter.update) : undefined)
    .orderBy(desc(rollouts.id))
    .limit(100);
  return withWaves(db, rows);
}

/** Installed of the machines in scope, over the rollout's waves (what the rollout page sums). */
export type RolloutListProgress = { installed: number; inScope: number; installedPct: number | null };

/**
 * The rollouts list's progress column: per rollout, its waves' summary counts summed per state in
 * one statement over deployment_counts (machines outside every wave are not in scope, as on the
 * rollout page). A rollout without deployments reads 0 of 0.
 */
export async function progressOfRollouts(actor: Actor | null, rolloutIds: readonly number[]): Promise<Map<number, RolloutListProgress>> {
  assertCan(actor, "rollout.read");
  const countsByRollout = new Map<number, StateCounts>(rolloutIds.map((id) => [id, {}]));
  if (rolloutIds.length) {
    const db = await getReadDb(actor);
    const rows = await db
      .select({ rolloutId: deploymentCounts.rolloutId, state: deploymentCounts.state, count: sql<number>`sum(${deploymentCounts.count})::int` })
      .from(deploymentCounts)
      .where(and(inArray(deploymentCounts.rolloutId, [...rolloutIds]), ne(deploymentCounts.waveId, 0)))
      .groupBy(deploymentCounts.rolloutId, deploymentCounts.state);
    for (const r of rows) countsByRollout.get(r.rolloutId)![r.state] = Number(r.count);
  }
  const progress = new Map<number, RolloutListProgress>();
  for (const [id, counts] of countsByRollout) {
    const { installed, inScope, installedPct } = summarise(counts);
    progress.set(id, { installed, inScope, installedPct });
  }
  return progress;
}

export type WaveDetail = {
  id: number;
  position: number;
  name: string;
  status: string;
  buildId: number | null;
  targeting: WaveTargeting;
  plannedStartAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  haltedAt: string | null;
  haltReason: string | null;
  gatePassedAt: string | null;
  gate: { minSuccessPct: number; maxFailurePct: number; minAttempted: number };
  autoStart: boolean;
  soakDays: number;
  counts: StateCounts;
  summary: ReturnType<typeof summarise>;
  verdict: GateVerdict;
  blockingIssues: BlockingIssue[];
  /** Dates (a date or the release + an offset), compliance target, ramp and forecast (calendar.ts). */
  calendar: WaveCalendar;
  /** What slips of the release date moved, newest first. */
  dateMoves: WaveDateMoveView[];
  /** Machines with no report for the rollout's silentAfterDays in this started wave (silent.ts). */
  silent: number;
};

export type RolloutDetail = {
  id: number;
  name: string;
  status: string;
  update: { id: number; slug: string; title: string; sizeBytes: number; applicableOsNames: string[] };
  build: { id: number; name: string; version: string };
  builds: { id: number; name: string; version: string }[];
  waves: WaveDetail[];
  outside: { notApplicable: number; excluded: number };
  silentAfterDays: number;
};

export async function getRolloutDetail(actor: Actor | null, rolloutId: number): Promise<RolloutDetail> {
  assertCan(actor, "rollout.read");
  ensureWaveScheduler();
  const db = await getReadDb(actor);
  const [row, waveRows, countRows, buildRows] = await Promise.all([
    readRolloutRow(actor, rolloutId),
    readRolloutWaves(actor, rolloutId),
    readRolloutCounts(actor, rolloutId),
    db
      .select({ id: builds.id, name: builds.name, version: builds.version })
      .from(builds)
      .where(sql`${builds.updateId} = (select ${rollouts.updateId} from ${rollouts} where ${rollouts.id} = ${rolloutId})`)
      .orderBy(asc(builds.id)),
  ]);
  if (!row) throw new HttpError(404, "No such rollout.");
  const now = new Date();
  const [blockingByWave, installedRecently, movesByWave, silentByWave] = await Promise.all([
    blockingIssuesForWaves(db, waveRows),
    installsInWindow(db, waveRows, now),
    readWaveDateMoves(db, waveRows.map((w) => w.id)),
    silentCountsByWave(db, rolloutId, now),
  ]);
  const counts = countsByWave(countRows);
  const outside = counts.get(0) ?? {};
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const waveDetails = waveRows.map((w) => {
    const c = counts.get(w.id) ?? {};
    const summary = summarise(c);
    return {
      id: w.id,
      position: w.position,
      name: w.name,
      status: w.status,
      buildId: w.buildId,
      targeting: w.targeting as WaveTargeting,
      plannedStartAt: iso(w.plannedStartAt),
      startedAt: iso(w.startedAt),
      completedAt: iso(w.completedAt),
      haltedAt: iso(w.haltedAt),
      haltReason: w.haltReason,
      gatePassedAt: iso(w.gatePassedAt),
      gate: gateOf(w),
      autoStart: w.autoStart,
      soakDays: w.soakDays,
      counts: c,
      summary,
      verdict: judgeGate(c, gateOf(w)),
      blockingIssues: blockingByWave.get(w.id) ?? [],
      calendar: waveCalendar(w, summary, installedRecently.get(w.id) ?? 0, now),
      dateMoves: movesByWave.get(w.id) ?? [],
      silent: silentByWave.get(w.id) ?? 0,
    };
  });
  return {
    id: row.rollout.id,
    name: row.rollout.name,
    status: row.rollout.status,
    update: { id: row.update.id, slug: row.update.slug, title: row.update.title, sizeBytes: row.update.sizeBytes, applicableOsNames: row.update.applicableOsNames },
    build: { id: row.build.id, name: row.build.name, version: row.build.version },
    builds: buildRows,
    waves: waveDetails,
    outside: { notApplicable: outside.not_applicable ?? 0, excluded: outside.excluded ?? 0 },
    silentAfterDays: row.rollout.silentAfterDays,
  };
}

/** The API's progress answer: waves with per-state counts, failure rate and gate status. */
export async function getRolloutProgress(actor: Actor | null, rolloutId: number) {
  const detail = await getRolloutDetail(actor, rolloutId);
  return {
    id: detail.id,
    name: detail.name,
    status: detail.status,
    update: { slug: detail.update.slug, title: detail.update.title },
    build: detail.build.name,
    outside: detail.outside,
    silentAfterDays: detail.silentAfterDays,
    waves: detail.waves.map((w) => ({
      id: w.id,
      position: w.position,
      name: w.name,
      status: w.status,
      haltReason: w.haltReason,
      counts: w.counts,
      inScope: w.summary.inScope,
      installed: w.summary.installed,
      attempted: w.verdict.attempted,
      failureRatePct: w.verdict.failurePct,
      successRatePct: w.verdict.successPct,
      gate: { ...w.gate, status: w.verdict.status, detail: w.verdict.reason, passedAt: w.gatePassedAt },
      blockingIssues: w.blockingIssues.map((b) => b.advisoryId),
      silent: w.silent,
      ...w.calendar,
    })),
  };
}
