import "server-only";
// Health gates at run time. Ingest calls `evaluateGates(tx, waveIds)` after each batch, in the
// batch's transaction and after the summary deltas are written (the counts come from
// deployment_counts, which always equals a GROUP BY over deployments). A breach does what the
// wave's gate action says (issue #18 item 4): halt (default; the numbers in its halt reason and
// audit entry), pause (the numbers in the pause's audit entry), or alert only (one gate.breached
// event and an audit entry per breach: waves.gateAlertedAt is set until the gate is no longer
// breached, and the wave keeps running). A confirmed blocking known issue halts the waves it
// affects; a gate met for the first time records `gatePassedAt` (the soak starts).
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { deploymentCounts, deployments, helpdeskReports, knownIssues, rollouts, waves, type DeploymentState, type Wave } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/log";
import { SUCCESS_STATES, type StateCounts } from "@/lib/deployments/states";
import { judgeGate, type GateVerdict, type RegressionCounts } from "./gate-rule";
import { emitEvents } from "@/lib/outbox/events";
import { autoStartDueWaves, blockingIssuesFor, blockingIssuesForWaves, SYSTEM_GATE, transitionWave, waveEventData } from "./lifecycle";
import type { Tx } from "@/db/tx";

export type GateOutcome = { waveId: number; verdict: GateVerdict; action: "halted" | "paused" | "alerted" | "passed" | "none"; blockedBy?: string[] };

/** Per-state counts of the given waves, from deployment_counts (by its (rollout, wave) index). */
export async function waveCounts(tx: Tx, list: ReadonlyArray<Pick<Wave, "id" | "rolloutId">>): Promise<Map<number, StateCounts>> {
  const rows = list.length
    ? await tx
        .select({ waveId: deploymentCounts.waveId, state: deploymentCounts.state, count: sql<number>`sum(${deploymentCounts.count})::int` })
        .from(deploymentCounts)
        .where(and(inArray(deploymentCounts.rolloutId, [...new Set(list.map((w) => w.rolloutId))]), inArray(deploymentCounts.waveId, list.map((w) => w.id))))
        .groupBy(deploymentCounts.waveId, deploymentCounts.state)
    : [];
  const map = new Map<number, StateCounts>();
  for (const row of rows) {
    const counts = map.get(row.waveId) ?? {};
    counts[row.state as DeploymentState] = Number(row.count);
    map.set(row.waveId, counts);
  }
  return map;
}

type GateColumns = "gateMinSuccessPct" | "gateMaxFailurePct" | "gateMinAttempted" | "gateMaxRollbackPct" | "regressionMinReports" | "regressionMaxRatio";

export const gateOf = (wave: Pick<Wave, "gateMinSuccessPct" | "gateMaxFailurePct" | "gateMinAttempted"> & Partial<Pick<Wave, GateColumns>>) => ({
  minSuccessPct: wave.gateMinSuccessPct,
  maxFailurePct: wave.gateMaxFailurePct,
  minAttempted: wave.gateMinAttempted,
  maxRollbackPct: wave.gateMaxRollbackPct ?? null,
  regression: wave.regressionMinReports != null ? { minReports: wave.regressionMinReports, maxRatio: wave.regressionMaxRatio ?? 2 } : null,
});

/**
 * The regression signal's counts of waves that have one: helpdesk reports filed since the wave
 * started on its machines, split by whether the machine installed the update, and the machines on
 * each side (from the summary counts). The reports drive the query (few), joined to each one's
 * deployment by the (device, update) index.
 */
export async function regressionCounts(tx: Tx, list: ReadonlyArray<Wave>, counts: Map<number, StateCounts>): Promise<Map<number, RegressionCounts>> {
  const result = new Map<number, RegressionCounts>();
  const withSignal = list.filter((w) => w.regressionMinReports != null);
  if (withSignal.length === 0) return result;
  const rows = await tx
    .select({
      waveId: deployments.waveId,
      updated: sql<boolean>`${deployments.state} in (${sql.join(SUCCESS_STATES.map((s) => sql`${s}`), sql`, `)})`,
      reports: sql<number>`count(*)::int`,
    })
    .from(helpdeskReports)
    .innerJoin(deployments, eq(deployments.deviceId, helpdeskReports.deviceId))
    .innerJoin(waves, eq(waves.id, deployments.waveId))
    .innerJoin(rollouts, and(eq(rollouts.id, waves.rolloutId), eq(rollouts.updateId, deployments.updateId)))
    .where(and(inArray(deployments.waveId, withSignal.map((w) => w.id)), isNotNull(waves.startedAt), sql`${helpdeskReports.createdAt} >= ${waves.startedAt}`))
    .groupBy(deployments.waveId, sql`2`);
  for (const wave of withSignal) {
    const c = counts.get(wave.id) ?? {};
    const inWave = Object.entries(c).reduce((n, [state, k]) => (state === "not_applicable" || state === "excluded" ? n : n + (k ?? 0)), 0);
    const updated = SUCCESS_STATES.reduce((n, s) => n + (c[s] ?? 0), 0);
    const mine = rows.filter((r) => r.waveId === wave.id);
    result.set(wave.id, {
      updated,
      notUpdated: inWave - updated,
      reportsUpdated: mine.filter((r) => r.updated).reduce((n, r) => n + Number(r.reports), 0),
      reportsNotUpdated: mine.filter((r) => !r.updated).reduce((n, r) => n + Number(r.reports), 0),
    });
  }
  return result;
}

/** Evaluates the gates of the given waves (active or paused ones; others are skipped). */
export async function evaluateGates(tx: Tx, waveIds: readonly number[], now = new Date()): Promise<GateOutcome[]> {
  const ids = [...new Set(waveIds)].filter((id) => Number.isInteger(id) && id > 0);
  if (ids.length === 0) return [];
  const live = await tx
    .select()
    .from(waves)
    .where(and(inArray(waves.id, ids), inArray(waves.status, ["active", "paused"])))
    .for("update");
  if (live.length === 0) return [];
  const counts = await waveCounts(tx, live);
  const [blockingByWave, regressionByWave] = await Promise.all([blockingIssuesForWaves(tx, live), regressionCounts(tx, live, counts)]);
  const outcomes: GateOutcome[] = [];
  for (const wave of live) {
    const verdict = judgeGate(counts.get(wave.id) ?? {}, gateOf(wave), regressionByWave.get(wave.id));
    const blocking = blockingByWave.get(wave.id) ?? [];
    if (blocking.length) {
      const reason = `Blocking known issue ${blocking.map((b) => `${b.advisoryId} (${b.title})`).join(", ")} is confirmed for this update.`;
      await transitionWave(tx, SYSTEM_GATE, wave, "halted", { action: "halt", reason }, now);
      outcomes.push({ waveId: wave.id, verdict, action: "halted", blockedBy: blocking.map((b) => b.advisoryId) });
    } else if (verdict.status === "breached") {
      outcomes.push({ waveId: wave.id, verdict, action: await onBreach(tx, wave, verdict, now) });
    } else if (verdict.status === "passed" && !wave.gatePassedAt) {
      await tx.update(waves).set({ gatePassedAt: now }).where(eq(waves.id, wave.id));
      await gateEvent(tx, "gate.passed", wave, verdict, now);
      outcomes.push({ waveId: wave.id, verdict, action: "passed" });
    } else {
      outcomes.push({ waveId: wave.id, verdict, action: "none" });
    }
    // The breach is over: an alert-only (or pausing) gate announces the next one again.
    if (verdict.status !== "breached" && wave.gateAlertedAt) await tx.update(waves).set({ gateAlertedAt: null }).where(eq(waves.id, wave.id));
  }
  if (outcomes.some((o) => o.action === "passed")) await autoStartDueWaves(tx, [...new Set(live.map((w) => w.rolloutId))], now);
  return outcomes;
}

/**
 * What a breach does, by the wave's gate action. Halt: as always. Pause: an active wave is paused
 * (its audit entry and wave.paused event carry the reason and numbers); a paused wave is left as
 * it is. Alert: the wave keeps running; the breach is announced once (gateAlertedAt).
 */
async function onBreach(tx: Tx, wave: Wave, verdict: GateVerdict, now: Date): Promise<GateOutcome["action"]> {
  const numbers = numbersOf(verdict, wave);
  if (wave.gateAction === "pause" || wave.gateAction === "alert") {
    if (wave.gateAlertedAt) return "none";
    await gateEvent(tx, "gate.breached", wave, verdict, now);
    await tx.update(waves).set({ gateAlertedAt: now }).where(eq(waves.id, wave.id));
    if (wave.gateAction === "pause" && wave.status === "active") {
      await transitionWave(tx, SYSTEM_GATE, { ...wave, gateAlertedAt: now }, "paused", { action: "pause", reason: verdict.reason, numbers }, now);
      return "paused";
    }
    await recordAudit(tx, SYSTEM_GATE, { action: "wave.gate_alert", targetType: "wave", targetId: wave.id, before: { status: wave.status }, after: { status: wave.status, gateAction: wave.gateAction, reason: verdict.reason, numbers } });
    return "alerted";
  }
  await gateEvent(tx, "gate.breached", wave, verdict, now);
  await transitionWave(tx, SYSTEM_GATE, wave, "halted", { action: "halt", reason: verdict.reason, numbers }, now);
  return "halted";
}

/** A gate's verdict for the outbox, with its numbers (the wave's halt, if any, is its own event). */
async function gateEvent(tx: Tx, type: "gate.passed" | "gate.breached", wave: Wave, verdict: GateVerdict, now: Date): Promise<void> {
  const data = { ...(await waveEventData(tx, wave)), reason: verdict.reason, numbers: numbersOf(verdict, wave) };
  await emitEvents(tx, [{ type, data, path: `/rollouts/${wave.rolloutId}`, occurredAt: now }]);
}

function numbersOf(verdict: GateVerdict, wave: Wave) {
  return {
    attempted: verdict.attempted,
    installed: verdict.installed,
    failed: verdict.failed,
    rolledBack: verdict.rolledBack,
    successPct: verdict.successPct,
    failurePct: verdict.failurePct,
    rollbackPct: verdict.rollbackPct,
    ...(verdict.regression ? { regression: { ...verdict.regression, ratio: verdict.regression.ratio === Infinity ? null : verdict.regression.ratio } } : {}),
    gate: gateOf(wave),
  };
}

/**
 * When a known issue becomes confirmed and blocking (the known-issues area calls this in its
 * transaction), halt the active and paused waves it affects. Returns the halted wave ids.
 */
export async function haltWavesForBlockingIssue(tx: Tx, knownIssueId: number, actor: Actor = SYSTEM_GATE, now = new Date()): Promise<number[]> {
  const [issue] = await tx.select().from(knownIssues).where(eq(knownIssues.id, knownIssueId));
  if (!issue || !issue.blocking || issue.status !== "confirmed") return [];
  const candidates = await tx
    .select({ wave: waves })
    .from(waves)
    .innerJoin(rollouts, eq(rollouts.id, waves.rolloutId))
    .where(and(eq(rollouts.updateId, issue.updateId), inArray(waves.status, ["active", "paused"])))
    .for("update");
  const halted: number[] = [];
  for (const { wave } of candidates) {
    const blocking = await blockingIssuesFor(tx, wave);
    if (!blocking.some((b) => b.id === issue.id)) continue;
    await transitionWave(tx, actor, wave, "halted", { action: "halt", reason: `Blocking known issue ${issue.advisoryId} (${issue.title}) is confirmed for this update.` }, now);
    halted.push(wave.id);
  }
  return halted;
}
