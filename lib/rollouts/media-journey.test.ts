import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyReport, isOverdue, journeyOf, MEDIA_STEPS, refusal, TO_SEND, type Journey, type MediaReport } from "./media-journey";

const DAY = 86_400_000;
const NOW = new Date("2004-09-01T12:00:00Z");

/** Reports with distinct recording numbers, dated within 60 days before NOW (several on one day, too). */
const reports = fc
  .array(fc.record({ step: fc.constantFrom(...MEDIA_STEPS), day: fc.integer({ min: 0, max: 60 }) }), { maxLength: 12 })
  .map((rows): MediaReport[] => rows.map((r, seq) => ({ step: r.step, at: new Date(NOW.getTime() - r.day * DAY), seq: seq + 1 })));

const sorted = (rows: readonly MediaReport[]) => [...rows].sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);

describe("the media journey", () => {
  it("ends in the same step whatever order the reports arrive in (as the sorted order)", () => {
    fc.assert(
      fc.property(reports.chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }))), fc.boolean(), ([rows, shuffled], installed) => {
        const inOrder = installed ? journeyOf(sorted(rows), true) : sorted(rows).reduce(applyReport, TO_SEND);
        expect(journeyOf(shuffled, installed)).toEqual(inOrder);
      }),
    );
  });

  it("in sorted order, every step the rules accept becomes the machine's step", () => {
    fc.assert(
      fc.property(reports, (rows) => {
        let journey: Journey = TO_SEND;
        const accepted: MediaReport[] = [];
        for (const report of sorted(rows)) {
          if (refusal(journey, report.step, report.at, NOW) !== null) continue;
          accepted.push(report);
          journey = applyReport(journey, report);
          expect(journey.step).toBe(report.step);
        }
        // What the rules let through, replayed in any order, ends where it ended.
        expect(journeyOf([...accepted].reverse())).toEqual(journey);
      }),
    );
  });

  it("refuses received before posted, a date in the future, a date before the current step and any step after installed", () => {
    const posted: Journey = { step: "posted", at: new Date(NOW.getTime() - 10 * DAY), seq: 1 };
    expect(refusal(TO_SEND, "received", new Date(NOW.getTime() - DAY), NOW)).toMatch(/Out of order: "received" follows posted/);
    expect(refusal(TO_SEND, "returned", new Date(NOW.getTime() - DAY), NOW)).toMatch(/Out of order/);
    expect(refusal(posted, "received", new Date(NOW.getTime() + 2 * DAY), NOW)).toMatch(/in the future/);
    expect(refusal(posted, "received", new Date(NOW.getTime() - 11 * DAY), NOW)).toMatch(/before the machine's current step \(posted on 2004-08-22\)/);
    expect(refusal(posted, "received", new Date(NOW.getTime() - 10 * DAY), NOW)).toBeNull();
    expect(refusal({ step: "installed", at: null, seq: null }, "posted", NOW, NOW)).toMatch(/already installed/);
    // An appointment is booked ahead.
    expect(refusal(TO_SEND, "appointment", new Date(NOW.getTime() + 5 * DAY), NOW)).toBeNull();
    expect(refusal(TO_SEND, "appointment", new Date(NOW.getTime() + 400 * DAY), NOW)).toMatch(/more than a year/);
  });

  it("is overdue once posted or booked more than the wave's days ago, never when received or installed", () => {
    const at = (days: number) => new Date(NOW.getTime() - days * DAY);
    expect(isOverdue({ step: "posted", at: at(15), seq: 1 }, 14, NOW)).toBe(true);
    expect(isOverdue({ step: "posted", at: at(13), seq: 1 }, 14, NOW)).toBe(false);
    expect(isOverdue({ step: "posted", at: at(13), seq: 1 }, 7, NOW)).toBe(true);
    expect(isOverdue({ step: "appointment", at: at(20), seq: 1 }, 14, NOW)).toBe(true);
    expect(isOverdue({ step: "received", at: at(20), seq: 1 }, 14, NOW)).toBe(false);
    expect(isOverdue({ step: "installed", at: null, seq: null }, 14, NOW)).toBe(false);
  });
});
