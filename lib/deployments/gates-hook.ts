import "server-only";
// After each ingest batch the health gates of the waves it touched are evaluated, inside the
// batch's transaction, so a breach halts the wave atomically with the counts that caused it.
// The gate rules and the halt belong to the rollouts area (lib/rollouts/gates.ts); ingest only
// calls this hook point, and tests may install another evaluator.
import type { Tx } from "@/db/tx";
import { evaluateGates } from "@/lib/rollouts/gates";

export type GateEvaluator = (tx: Tx, waveIds: number[]) => Promise<void>;

type Holder = { evaluator?: GateEvaluator };
const holder: Holder = ((globalThis as { __rollcallGateHook?: Holder }).__rollcallGateHook ??= {});

/** Installs the evaluator ingest calls after each batch (the rollouts area, or a test double). */
export function setGateEvaluator(evaluator: GateEvaluator | undefined): void {
  holder.evaluator = evaluator;
}

/** Called by ingest with the ids of the waves whose deployments changed state in the batch. */
export async function afterBatch(tx: Tx, affectedWaveIds: number[]): Promise<void> {
  if (affectedWaveIds.length === 0) return;
  const evaluator = holder.evaluator ?? defaultEvaluator;
  await evaluator(tx, [...affectedWaveIds].sort((a, b) => a - b));
}

const defaultEvaluator: GateEvaluator = async (tx, waveIds) => {
  await evaluateGates(tx, waveIds);
};
