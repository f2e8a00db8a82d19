import { describe, expect, it } from "vitest";
import { judgeGate, judgeRegression } from "./gate-rule";

const gate = { minSuccessPct: 90, maxFailurePct: 5, minAttempted: 20 };

describe("health gate thresholds", () => {
  it("decides nothing below the minimum number of attempted devices", () => {
    const v = judgeGate({ installed: 10, failed: 9 }, gate);
    expect(v.status).toBe("waiting_for_data");
    expect(v.attempted).toBe(19);
  });

  it("decides at exactly the minimum number attempted", () => {
    expect(judgeGate({ installed: 10, failed: 10 }, gate).status).toBe("breached");
  });

  it("does not halt at exactly the maximum failure rate, halts one device above it", () => {
    // 1 of 20 = 5 % exactly → not a breach; the rest installed → 95 % ≥ 90 % → passed
    expect(judgeGate({ installed: 19, failed: 1 }, gate).status).toBe("passed");
    // 2 of 39 ≈ 5.13 % → breach
    const v = judgeGate({ installed: 37, rolled_back: 2 }, gate);
    expect(v.status).toBe("breached");
    expect(v.reason).toContain("5.1 %");
    expect(v.reason).toContain("0 failed and 2 rolled back of 39 attempted");
    expect(v.reason).toContain("maximum 5 %");
  });

  it("counts rolled back devices as failures", () => {
    expect(judgeGate({ installed: 18, failed: 1, rolled_back: 1 }, gate).status).toBe("breached");
  });

  it("passes at exactly the minimum success rate", () => {
    const g = { minSuccessPct: 90, maxFailurePct: 10, minAttempted: 10 };
    expect(judgeGate({ installed: 9, failed: 1 }, g).status).toBe("passed");
    expect(judgeGate({ installed: 8, downloading: 1, failed: 1 }, g).status).toBe("in_progress");
  });

  it("breaches when success can no longer reach the minimum even if all in progress succeed", () => {
    const g = { minSuccessPct: 95, maxFailurePct: 10, minAttempted: 10 };
    // 1 failed of 10: best possible 90 % < 95 % though the failure rate 10 % is not above 10 %
    const v = judgeGate({ installed: 5, installing: 4, failed: 1 }, g);
    expect(v.status).toBe("breached");
    expect(v.reason).toContain("can no longer reach the minimum 95 %");
  });

  it("ignores devices that have not attempted (pending, held, scheduled) and out-of-scope ones", () => {
    const v = judgeGate({ pending: 500, held: 10, scheduled: 5, not_applicable: 900, excluded: 3, installed: 20 }, gate);
    expect(v.attempted).toBe(20);
    expect(v.status).toBe("passed");
  });
});

describe("the rollback maximum, separate from the failure maximum", () => {
  const g = { minSuccessPct: 80, maxFailurePct: 20, minAttempted: 10, maxRollbackPct: 5 };

  it("does not breach at exactly the rollback maximum, breaches one rollback above it", () => {
    // 1 of 20 rolled back = 5 % exactly: not a breach (failures 5 % ≤ 20 %)
    expect(judgeGate({ installed: 19, rolled_back: 1 }, g).status).toBe("passed");
    // 2 of 20 = 10 % > 5 %, though failures 10 % are within the failure maximum
    const v = judgeGate({ installed: 18, rolled_back: 2 }, g);
    expect(v.status).toBe("breached");
    expect(v.rollbackPct).toBe(10);
    expect(v.reason).toBe("Health gate breached: rollback rate 10 % (2 rolled back of 20 attempted) is above the rollback maximum 5 %.");
  });

  it("failed devices do not count against the rollback maximum, and without one rollbacks are only failures", () => {
    expect(judgeGate({ installed: 17, failed: 3 }, g).status).toBe("passed");
    expect(judgeGate({ installed: 18, rolled_back: 2 }, { ...g, maxRollbackPct: null }).status).toBe("passed");
  });

  it("decides nothing below the minimum attempted", () => {
    expect(judgeGate({ installed: 5, rolled_back: 4 }, g).status).toBe("waiting_for_data");
  });
});

describe("the regression signal", () => {
  const g = { minSuccessPct: 0, maxFailurePct: 100, minAttempted: 1000, regression: { minReports: 4, maxRatio: 2 } };

  it("decides nothing below the minimum number of reports", () => {
    const r = judgeRegression({ updated: 10, reportsUpdated: 3, notUpdated: 90, reportsNotUpdated: 0 }, g.regression);
    expect(r.status).toBe("waiting_for_data");
    expect(judgeGate({ installed: 10, pending: 90 }, g, { updated: 10, reportsUpdated: 3, notUpdated: 90, reportsNotUpdated: 0 }).status).toBe("waiting_for_data");
  });

  it("does not breach at exactly the ratio, breaches just above it", () => {
    // 4 per 100 updated (2 on 50) against 2 per 100 not updated (2 on 100): ratio 2 exactly
    const at = judgeRegression({ updated: 50, reportsUpdated: 2, notUpdated: 100, reportsNotUpdated: 2 }, g.regression);
    expect(at).toMatchObject({ status: "ok", perHundredUpdated: 4, perHundredNotUpdated: 2, ratio: 2 });
    // one more updated machine's report: 3 on 50 = 6 per 100, ratio 3 > 2
    const above = judgeRegression({ updated: 50, reportsUpdated: 3, notUpdated: 100, reportsNotUpdated: 2 }, g.regression);
    expect(above).toMatchObject({ status: "breached", ratio: 3 });
    // a fractional maximum: 2.5 — ratio 2.5 exactly is not a breach
    expect(judgeRegression({ updated: 40, reportsUpdated: 5, notUpdated: 100, reportsNotUpdated: 5 }, { minReports: 4, maxRatio: 2.5 }).status).toBe("ok");
    expect(judgeRegression({ updated: 39, reportsUpdated: 5, notUpdated: 100, reportsNotUpdated: 5 }, { minReports: 4, maxRatio: 2.5 }).status).toBe("breached");
  });

  it("decides at exactly the minimum number of reports, on both sides together", () => {
    expect(judgeRegression({ updated: 50, reportsUpdated: 3, notUpdated: 100, reportsNotUpdated: 1 }, g.regression).status).toBe("breached");
    expect(judgeRegression({ updated: 50, reportsUpdated: 2, notUpdated: 100, reportsNotUpdated: 1 }, g.regression).status).toBe("waiting_for_data");
  });

  it("no report from machines not yet updated: any report on updated ones is above every ratio", () => {
    expect(judgeRegression({ updated: 50, reportsUpdated: 4, notUpdated: 50, reportsNotUpdated: 0 }, g.regression)).toMatchObject({ status: "breached", ratio: Infinity });
  });

  it("cannot compare without machines on both sides", () => {
    expect(judgeRegression({ updated: 0, reportsUpdated: 0, notUpdated: 50, reportsNotUpdated: 9 }, g.regression).status).toBe("waiting_for_data");
    expect(judgeRegression({ updated: 50, reportsUpdated: 9, notUpdated: 0, reportsNotUpdated: 0 }, g.regression).status).toBe("waiting_for_data");
  });

  it("breaches the gate with its numbers in the reason, even before enough devices attempted", () => {
    const v = judgeGate({ installed: 50, pending: 100 }, g, { updated: 50, reportsUpdated: 3, notUpdated: 100, reportsNotUpdated: 2 });
    expect(v.status).toBe("breached");
    expect(v.reason).toBe(
      "Health gate breached: Regression signal: 6 helpdesk reports per 100 updated machines (3 on 50) against 2 per 100 not yet updated (2 on 100), 3 times, above the maximum 2 times.",
    );
    expect(v.regression).toMatchObject({ reportsUpdated: 3, updated: 50, reportsNotUpdated: 2, notUpdated: 100 });
  });

  it("is off without a rule, whatever the reports", () => {
    expect(judgeGate({ installed: 50, pending: 100 }, { ...g, regression: null }, { updated: 50, reportsUpdated: 30, notUpdated: 100, reportsNotUpdated: 0 }).regression).toBeNull();
  });
});
