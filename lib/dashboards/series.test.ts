import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEPLOYMENT_STATES, type StateCounts } from "@/lib/deployments/states";
import { breakdownRows, cumulativeAdoption, groupCounts, STATE_SERIES, waveRate, withBehind } from "./series";

const countsArb = fc.record(Object.fromEntries(DEPLOYMENT_STATES.map((s) => [s, fc.nat(1000)]))) as fc.Arbitrary<Required<StateCounts>>;

describe("chart series", () => {
  it("draws installed-behind machines as their own stack, taken out of installed and never out of another state", () => {
    const groups = groupCounts({ installed: 10, failed: 2, pending: 3 });
    expect(groups.behind).toBe(0);
    const moved = withBehind(groups, 4);
    expect(moved).toMatchObject({ installed: 6, behind: 4, failed: 2, waiting: 3 });
    expect(Object.values(moved).reduce((a, b) => a + b, 0)).toBe(Object.values(groups).reduce((a, b) => a + b, 0));
    // More behind than installed (a count read a moment apart) never makes installed negative.
    expect(withBehind(groups, 15)).toMatchObject({ installed: 0, behind: 10 });
  });

  it("puts every state in exactly one stack, so stacks add up to the total", () => {
    const all = STATE_SERIES.flatMap((s) => s.states as readonly string[]);
    expect([...all].sort()).toEqual([...DEPLOYMENT_STATES].sort());
    fc.assert(
      fc.property(countsArb, (counts) => {
        const groups = groupCounts(counts);
        const total = DEPLOYMENT_STATES.reduce((n, s) => n + counts[s], 0);
        expect(Object.values(groups).reduce((a, b) => a + b, 0)).toBe(total);
        expect(groups.notApplicable).toBe(counts.not_applicable);
        expect(groups.failed).toBe(counts.failed);
      }),
    );
  });

  it("sorts breakdown rows by population and keeps each label's counts", () => {
    const rows = breakdownRows(new Map([["York", { installed: 2 }], ["HQ", { installed: 5, failed: 1, not_applicable: 3 }]]));
    expect(rows.map((r) => [r.label, r.total, r.installed, r.failed, r.notApplicable])).toEqual([
      ["HQ", 9, 5, 1, 3],
      ["York", 2, 2, 0, 0],
    ]);
  });

  it("turns installs per day into a running total in day order, skipping empty days", () => {
    expect(cumulativeAdoption([{ day: "2004-08-10", installed: 3 }, { day: "2004-08-02", installed: 5 }, { day: "2004-08-05", installed: 0 }])).toEqual([
      { day: "2004-08-02", installed: 5, cumulative: 5 },
      { day: "2004-08-10", installed: 3, cumulative: 8 },
    ]);
  });

  it("reports failure and rollback rates of attempted devices with the gate's verdict", () => {
    const gate = { minSuccessPct: 90, maxFailurePct: 5, minAttempted: 10 };
    const rate = waveRate({ id: 1, name: "HQ", status: "active", gate }, { installed: 90, failed: 6, rolled_back: 4, pending: 50, not_applicable: 30 });
    expect(rate).toMatchObject({ attempted: 100, failedPct: 6, rolledBackPct: 4, failureRatePct: 10, gateMaxFailurePct: 5, gateStatus: "breached" });
    expect(waveRate({ id: 2, name: "Pilot", status: "planned", gate }, { pending: 5 })).toMatchObject({ attempted: 0, failureRatePct: null, gateStatus: "waiting_for_data" });
  });
});
