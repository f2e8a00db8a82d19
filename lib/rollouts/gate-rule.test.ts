import { describe, expect, it } from "vitest";
import { judgeGate } from "./gate-rule";

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
