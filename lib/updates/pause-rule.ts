// Whether an update's emergency pause holds at a given time. The pause ends by itself at its
// `until`: every reader compares with the clock (no job has to run, no instance can miss it), so
// eligibility, the banner and the update page agree to the second.
export type PauseFields = { pausedAt: Date | null; pausedUntil: Date | null };

export function isPausedAt(update: PauseFields, now: Date): boolean {
  return update.pausedAt !== null && (update.pausedUntil === null || update.pausedUntil.getTime() > now.getTime());
}
