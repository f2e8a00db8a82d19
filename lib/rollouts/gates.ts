import "server-only";
// Health gates at run time. Ingest calls `evaluateGates(tx, waveIds)` after each batch, in the
// batch's transaction and after the summary deltas are written (the counts come from
// deployment_counts, which always equals a GROUP BY over deployments). A breach halts the wave
// with the numbers in its halt reason and an audit entry; a confirmed blocking known issue halts
// the waves it affects; a gate met for the first time records `gatePassedAt` (the soak starts).
import { and, eq, inArray, sql } from "drizzle-orm";
import { deploymentCounts, knownIssues, rollouts, waves, type DeploymentState, type Wave } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import type { StateCounts } from "@/lib/deployments/states";
import { judgeGate, type GateVerdict } from "./gate-rule";
import { emitEvents } from "@/lib/outbox/events";
import { autoStartDueWaves, blockingIssuesFor, blockingIssuesForWaves, SYSTEM_GATE, transitionWave, waveEventData } from "./lifecycle";
import type { Tx } from "@/db/tx";

export type GateOutcome = { waveId: number; verdict: GateVerdict; action: "halted" | "passed" | "none"; blockedBy?: string[] };

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

export const gateOf = (wave: Pick<Wave, "gateMinSuccessPct" | "gateMaxFailurePct" | "gateMinAttempted">) => ({
  minSuccessPct: wave.gateMinSuccessPct,
  maxFailurePct: wave.gateMaxFailurePct,
  minAttempted: wave.gateMinAttempted,
});

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
  const blockingByWave = await blockingIssuesForWaves(tx, live);
  const outcomes: GateOutcome[] = [];
  for (const wave of live) {
    const verdict = judgeGate(counts.get(wave.id) ?? {}, gateOf(wave));
    const blocking = blockingByWave.get(wave.id) ?? [];
    if (blocking.length) {
      const reason = `Blocking known issue ${blocking.map((b) => `${b.advisoryId} (${b.title})`).join(", ")} is confirmed for this update.`;
      await transitionWave(tx, SYSTEM_GATE, wave, "halted", { action: "halt", reason }, now);
      outcomes.push({ waveId: wave.id, verdict, action: "halted", blockedBy: blocking.map((b) => b.advisoryId) });
    } else if (verdict.status === "breached") {
      await gateEvent(tx, "gate.breached", wave, verdict, now);
      await transitionWave(tx, SYSTEM_GATE, wave, "halted", { action: "halt", reason: verdict.reason, numbers: numbersOf(verdict, wave) }, now);
      outcomes.push({ waveId: wave.id, verdict, action: "halted" });
    } else if (verdict.status === "passed" && !wave.gatePassedAt) {
      await tx.update(waves).set({ gatePassedAt: now }).where(eq(waves.id, wave.id));
      await gateEvent(tx, "gate.passed", wave, verdict, now);
      outcomes.push({ waveId: wave.id, verdict, action: "passed" });
    } else {
      outcomes.push({ waveId: wave.id, verdict, action: "none" });
    }
  }
  if (outcomes.some((o) => o.action === "passed")) await autoStartDueWaves(tx, [...new Set(live.map((w) => w.rolloutId))], now);
  return outcomes;
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
