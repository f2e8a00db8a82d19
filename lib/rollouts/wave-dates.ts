// A wave's planned start and deadline are a date, or an offset in days from the update's planned
// release date (waves.startOffsetDays / deadlineOffsetDays). The columns plannedStartAt / deadlineAt
// always hold the resolved date, so every reader keeps working; a slip of the release date moves the
// offset dates of the waves not yet started by the slip. Pure: no database here.

export const DAY_MS = 86_400_000;

/** A calendar day (YYYY-MM-DD, UTC) as the moment it starts. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** The calendar day (UTC) of a moment. */
export function isoDay(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/** The planned release date + offset days, at the start of that day (UTC). */
export function dateFromRelease(release: string, offsetDays: number): Date {
  return new Date(dayStart(release).getTime() + offsetDays * DAY_MS);
}

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayStart(to).getTime() - dayStart(from).getTime()) / DAY_MS);
}

export type DateField = "planned_start" | "deadline";

export type DatedWave = {
  id: number;
  status: string;
  plannedStartAt: Date | null;
  startOffsetDays: number | null;
  deadlineAt: Date | null;
  deadlineOffsetDays: number | null;
};

export type WaveDateMovePlan = { waveId: number; field: DateField; fromAt: Date | null; toAt: Date; days: number };

/**
 * What a slip of the release date from `fromRelease` to `toRelease` moves: every offset date of the
 * waves that have not started (status planned), to the new release date + its offset. Dates given as
 * dates, and the waves already under way, stay where they are.
 */
export function slipMoves(waves: readonly DatedWave[], fromRelease: string, toRelease: string): WaveDateMovePlan[] {
  const days = daysBetween(fromRelease, toRelease);
  if (days === 0) return [];
  const moves: WaveDateMovePlan[] = [];
  for (const wave of waves) {
    if (wave.status !== "planned") continue;
    if (wave.startOffsetDays !== null) moves.push({ waveId: wave.id, field: "planned_start", fromAt: wave.plannedStartAt, toAt: dateFromRelease(toRelease, wave.startOffsetDays), days });
    if (wave.deadlineOffsetDays !== null) moves.push({ waveId: wave.id, field: "deadline", fromAt: wave.deadlineAt, toAt: dateFromRelease(toRelease, wave.deadlineOffsetDays), days });
  }
  return moves;
}

/** "moved 31 days by the slip of 2004-07-02" (the slip's recorded day). */
export function describeMove(move: { field: DateField; days: number; fromAt: Date | string | null; toAt: Date | string | null }, slipRecordedAt: Date | string): string {
  const what = move.field === "planned_start" ? "Planned start" : "Deadline";
  const day = (v: Date | string | null) => (v === null ? "—" : typeof v === "string" ? v.slice(0, 10) : isoDay(v));
  const amount = Math.abs(move.days);
  const direction = move.days >= 0 ? "moved" : "moved back";
  return `${what} ${direction} ${amount} ${amount === 1 ? "day" : "days"} by the slip of ${day(slipRecordedAt)} (${day(move.fromAt)} → ${day(move.toAt)})`;
}
