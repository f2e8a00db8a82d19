// The demo rollout's calendar (issue #18): SP2's waves are dated from the planned release date (the
// pilot on its own dates before it; headquarters +14 days, branch offices +35 with a ramp over their
// slow links, home workers +56 with CD shipments), and the slips recorded after the rollout was
// planned moved them, as recordSlip would have (wave_date_moves with the slip that moved them).
import { asc, eq } from "drizzle-orm";
import * as s from "@/db/schema";
import type { Transaction } from "@/db/tx";
import { dateFromRelease, daysBetween } from "@/lib/rollouts/wave-dates";

/** Per wave position: start and deadline in days from the release, the ramp and the compliance target. */
export const DEMO_WAVE_CALENDAR: Record<number, { startOffsetDays: number; deadlineOffsetDays: number; maxDevicesPerDay?: number }> = {
  1: { startOffsetDays: 14, deadlineOffsetDays: 42 },
  2: { startOffsetDays: 35, deadlineOffsetDays: 49, maxDevicesPerDay: 30 },
  3: { startOffsetDays: 56, deadlineOffsetDays: 84 },
};

/** The calendar columns of a wave at `position`, resolved from the release date as the planner stores them. */
export function demoWaveDates(position: number, releaseDay: string) {
  const plan = DEMO_WAVE_CALENDAR[position];
  if (!plan) return {};
  return {
    startOffsetDays: plan.startOffsetDays,
    plannedStartAt: dateFromRelease(releaseDay, plan.startOffsetDays),
    deadlineOffsetDays: plan.deadlineOffsetDays,
    deadlineAt: dateFromRelease(releaseDay, plan.deadlineOffsetDays),
    maxDevicesPerDay: plan.maxDevicesPerDay ?? null,
  };
}

/** The date moves of the slips recorded after the rollout was created (each wave was still planned then). */
export async function insertDemoDateMoves(tx: Transaction, input: { updateId: number; rolloutCreatedAt: Date; waveId: (position: number) => number }): Promise<void> {
  const slips = await tx.select().from(s.releaseDateChanges).where(eq(s.releaseDateChanges.updateId, input.updateId)).orderBy(asc(s.releaseDateChanges.recordedAt));
  const moves: (typeof s.waveDateMoves.$inferInsert)[] = [];
  slips.forEach((slip, i) => {
    if (i === 0 || slip.recordedAt < input.rolloutCreatedAt) return;
    const from = slips[i - 1].plannedDate;
    const days = daysBetween(from, slip.plannedDate);
    for (const [position, plan] of Object.entries(DEMO_WAVE_CALENDAR)) {
      const waveId = input.waveId(Number(position));
      moves.push(
        { waveId, releaseDateChangeId: slip.id, field: "planned_start", fromAt: dateFromRelease(from, plan.startOffsetDays), toAt: dateFromRelease(slip.plannedDate, plan.startOffsetDays), days, recordedAt: slip.recordedAt },
        { waveId, releaseDateChangeId: slip.id, field: "deadline", fromAt: dateFromRelease(from, plan.deadlineOffsetDays), toAt: dateFromRelease(slip.plannedDate, plan.deadlineOffsetDays), days, recordedAt: slip.recordedAt },
      );
    }
  });
  if (moves.length) await tx.insert(s.waveDateMoves).values(moves);
}

