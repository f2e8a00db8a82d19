import "server-only";
// What a recorded slip does to the rollouts' calendars: every offset date of the update's waves that
// have not started moves by the slip (waves.plannedStartAt / deadlineAt hold the resolved date), and
// each move is a wave_date_moves row the rollout page reads back ("moved 31 days by the slip of …").
// Runs inside the slip's transaction (lib/updates/catalog.ts recordSlip), so nothing is half-moved.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { releaseDateChanges, rollouts, waveDateMoves, waves } from "@/db/schema";
import type { Tx } from "@/db/tx";
import { slipMoves, type DateField } from "./wave-dates";

export type MovedWaveDate = { rolloutId: number; waveId: number; wave: string; field: DateField; from: string | null; to: string; days: number };

export async function moveWaveDatesBySlip(tx: Tx, input: { updateId: number; fromRelease: string; toRelease: string; releaseDateChangeId: number }): Promise<MovedWaveDate[]> {
  const rows = await tx
    .select({ wave: waves, rolloutId: rollouts.id })
    .from(waves)
    .innerJoin(rollouts, eq(rollouts.id, waves.rolloutId))
    .where(and(eq(rollouts.updateId, input.updateId), inArray(rollouts.status, ["draft", "active"]), eq(waves.status, "planned")))
    .orderBy(asc(rollouts.id), asc(waves.position))
    .for("update");
  const moves = slipMoves(rows.map((r) => r.wave), input.fromRelease, input.toRelease);
  if (moves.length === 0) return [];
  const byId = new Map(rows.map((r) => [r.wave.id, r]));
  for (const move of moves) {
    await tx
      .update(waves)
      .set(move.field === "planned_start" ? { plannedStartAt: move.toAt } : { deadlineAt: move.toAt, deadlineRiskNotifiedAt: null })
      .where(eq(waves.id, move.waveId));
  }
  await tx.insert(waveDateMoves).values(moves.map((m) => ({ waveId: m.waveId, releaseDateChangeId: input.releaseDateChangeId, field: m.field, fromAt: m.fromAt, toAt: m.toAt, days: m.days })));
  return moves.map((m) => ({
    rolloutId: byId.get(m.waveId)!.rolloutId,
    waveId: m.waveId,
    wave: byId.get(m.waveId)!.wave.name,
    field: m.field,
    from: m.fromAt?.toISOString() ?? null,
    to: m.toAt.toISOString(),
    days: m.days,
  }));
}

export type WaveDateMoveView = { waveId: number; field: DateField; from: string | null; to: string | null; days: number; slipRecordedAt: string | null; slipPlannedDate: string | null; note: string | null };

/** The date moves of a rollout's waves, newest first (the rollout page says what moved and why). */
export async function readWaveDateMoves(tx: Tx, waveIds: readonly number[]): Promise<Map<number, WaveDateMoveView[]>> {
  const result = new Map<number, WaveDateMoveView[]>(waveIds.map((id) => [id, []]));
  if (waveIds.length === 0) return result;
  const rows = await tx
    .select({ move: waveDateMoves, slipRecordedAt: releaseDateChanges.recordedAt, slipPlannedDate: releaseDateChanges.plannedDate, note: releaseDateChanges.note })
    .from(waveDateMoves)
    .leftJoin(releaseDateChanges, eq(releaseDateChanges.id, waveDateMoves.releaseDateChangeId))
    .where(inArray(waveDateMoves.waveId, [...waveIds]))
    .orderBy(desc(waveDateMoves.recordedAt), desc(waveDateMoves.id));
  for (const r of rows) {
    result.get(r.move.waveId)?.push({
      waveId: r.move.waveId,
      field: r.move.field,
      from: r.move.fromAt?.toISOString() ?? null,
      to: r.move.toAt?.toISOString() ?? null,
      days: r.move.days,
      slipRecordedAt: r.slipRecordedAt?.toISOString() ?? null,
      slipPlannedDate: r.slipPlannedDate,
      note: r.note,
    });
  }
  return result;
}
