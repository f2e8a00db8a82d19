import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dateTicks } from "./date-ticks";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const DAY_MS = 86_400_000;

describe("dateTicks", () => {
  it("a few weeks of installs get a tick every 7 days, labelled as dates", () => {
    const { ticks, label } = dateTicks(day("2004-08-25"), day("2004-09-30"));
    expect(ticks.map(label)).toEqual(["25 Aug", "1 Sept", "8 Sept", "15 Sept", "22 Sept", "29 Sept"]);
  });

  it("months of installs get a tick on the first of every month or quarter", () => {
    const months = dateTicks(day("2004-08-25"), day("2004-12-20"));
    expect(months.ticks.map(months.label)).toEqual(["Sept 2004", "Oct 2004", "Nov 2004", "Dec 2004"]);
    const quarters = dateTicks(day("2004-08-25"), day("2005-09-20"));
    expect(quarters.ticks.map(quarters.label)).toEqual(["Oct 2004", "Jan 2005", "Apr 2005", "Jul 2005"]);
  });

  it("ticks are evenly spaced, inside the range, and never more than asked for", () => {
    fc.assert(
      fc.property(fc.integer({ min: 12_000, max: 20_000 }), fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 3, max: 8 }), (firstDay, span, max) => {
        const first = firstDay * DAY_MS;
        const last = (firstDay + span) * DAY_MS;
        const { ticks } = dateTicks(first, last, max);
        expect(ticks.length).toBeGreaterThan(0);
        expect(ticks.length).toBeLessThanOrEqual(max);
        for (const t of ticks) expect(t >= first - DAY_MS && t <= last).toBe(true);
        const gaps = ticks.slice(1).map((t, i) => (t - ticks[i]) / DAY_MS);
        // Day steps are exact; month steps differ by at most the length of a month's tail (28–31 days a month).
        if (gaps.length) expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(3 * Math.ceil(Math.max(...gaps) / 28));
      }),
    );
  });
});
