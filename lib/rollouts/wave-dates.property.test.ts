import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dateFromRelease, daysBetween, describeMove, isoDay, slipMoves, type DatedWave } from "./wave-dates";

const STATUSES = ["planned", "active", "paused", "halted", "completed"] as const;
const day = fc.integer({ min: 0, max: 3000 }).map((n) => isoDay(new Date(Date.UTC(2003, 0, 1) + n * 86_400_000)));
const offset = fc.option(fc.integer({ min: -90, max: 180 }), { nil: null });
const date = fc.option(fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2003, 0, 1) + n * 86_400_000)), { nil: null });

/** Waves as the database holds them: an offset date is resolved from the release date before the slip. */
const wavesBefore = (release: string) =>
  fc.array(fc.record({ status: fc.constantFrom(...STATUSES), startOffsetDays: offset, deadlineOffsetDays: offset, start: date, deadline: date }), { maxLength: 8 }).map((list) =>
    list.map(
      (w, i): DatedWave => ({
        id: i + 1,
        status: w.status,
        startOffsetDays: w.startOffsetDays,
        deadlineOffsetDays: w.deadlineOffsetDays,
        plannedStartAt: w.startOffsetDays === null ? w.start : dateFromRelease(release, w.startOffsetDays),
        deadlineAt: w.deadlineOffsetDays === null ? w.deadline : dateFromRelease(release, w.deadlineOffsetDays),
      }),
    ),
  );

describe("a slip of the release date (property)", () => {
  it("moves exactly the offset dates of unstarted waves, each by the slip", () => {
    fc.assert(
      fc.property(
        day.chain((from) => fc.tuple(fc.constant(from), day, wavesBefore(from))),
        ([from, to, waves]) => {
          const slip = daysBetween(from, to);
          const moves = slipMoves(waves, from, to);
          const expected = slip === 0 ? [] : waves.flatMap((w) => (w.status !== "planned" ? [] : [w.startOffsetDays !== null ? `${w.id}:planned_start` : null, w.deadlineOffsetDays !== null ? `${w.id}:deadline` : null].filter(Boolean)));
          expect(moves.map((m) => `${m.waveId}:${m.field}`)).toEqual(expected);
          for (const move of moves) {
            expect(move.days).toBe(slip);
            // Moved by exactly the slip: the new date is the old one plus the slip's days.
            expect(daysBetween(isoDay(move.fromAt!), isoDay(move.toAt))).toBe(slip);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("wave dates", () => {
  it("resolve offsets from the release day and say what moved", () => {
    expect(dateFromRelease("2004-08-06", 14).toISOString()).toBe("2004-08-20T00:00:00.000Z");
    expect(dateFromRelease("2004-08-06", -5).toISOString()).toBe("2004-08-01T00:00:00.000Z");
    expect(daysBetween("2004-07-02", "2004-08-02")).toBe(31);
    expect(describeMove({ field: "planned_start", days: 31, fromAt: "2004-07-16", toAt: "2004-08-16" }, new Date("2004-07-02T10:00:00Z"))).toBe(
      "Planned start moved 31 days by the slip of 2004-07-02 (2004-07-16 → 2004-08-16)",
    );
  });
});
