// The health gate of a wave, as a pure function of its deployment counts (lib/deployments/states.ts
// says which states are attempted, success and failure). Integer arithmetic, so "exactly at the
// threshold" is decided exactly:
//
// - Nothing is decided until at least `minAttempted` devices attempted the update.
// - Breach when the failure rate (failed + rolled back, of attempted) is ABOVE `maxFailurePct`,
//   or when the success rate can no longer reach `minSuccessPct` even if every device still in
//   progress succeeds. Exactly at a threshold is not a breach.
// - Passed when the success rate (installed, of attempted) is AT LEAST `minSuccessPct`.
// `not_applicable` and `excluded` devices never count: they are neither attempted nor failures.
import { ATTEMPTED_STATES, FAILURE_STATES, SUCCESS_STATES, type StateCounts } from "@/lib/deployments/states";

export type Gate = { minSuccessPct: number; maxFailurePct: number; minAttempted: number };

export type GateStatus = "waiting_for_data" | "in_progress" | "passed" | "breached";

export type GateVerdict = {
  status: GateStatus;
  attempted: number;
  installed: number;
  failed: number;
  rolledBack: number;
  successPct: number | null;
  failurePct: number | null;
  /** One sentence with the numbers; set for every status. */
  reason: string;
};

const sum = (counts: StateCounts, states: readonly string[]) =>
  states.reduce((n, s) => n + (counts[s as keyof StateCounts] ?? 0), 0);
const pct = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} %`;

export function judgeGate(counts: StateCounts, gate: Gate): GateVerdict {
  const attempted = sum(counts, ATTEMPTED_STATES);
  const installed = sum(counts, SUCCESS_STATES);
  const failures = sum(counts, FAILURE_STATES);
  const failed = counts.failed ?? 0;
  const rolledBack = counts.rolled_back ?? 0;
  const successPct = attempted === 0 ? null : (installed * 100) / attempted;
  const failurePct = attempted === 0 ? null : (failures * 100) / attempted;
  const base = { attempted, installed, failed, rolledBack, successPct, failurePct };

  if (attempted < Math.max(1, gate.minAttempted)) {
    return { ...base, status: "waiting_for_data", reason: `${attempted} of at least ${gate.minAttempted} devices attempted so far; the gate decides from ${gate.minAttempted}.` };
  }
  const numbers = `${failed} failed and ${rolledBack} rolled back of ${attempted} attempted`;
  if (failures * 100 > gate.maxFailurePct * attempted) {
    return {
      ...base,
      status: "breached",
      reason: `Health gate breached: failure/rollback rate ${pct(failurePct!)} (${numbers}) is above the maximum ${gate.maxFailurePct} %.`,
    };
  }
  if ((attempted - failures) * 100 < gate.minSuccessPct * attempted) {
    return {
      ...base,
      status: "breached",
      reason: `Health gate breached: success can no longer reach the minimum ${gate.minSuccessPct} % (${numbers}; at best ${pct(100 - failurePct!)}).`,
    };
  }
  if (installed * 100 >= gate.minSuccessPct * attempted) {
    return { ...base, status: "passed", reason: `Gate passed: ${installed} of ${attempted} attempted installed (${pct(successPct!)} ≥ ${gate.minSuccessPct} %), failures ${pct(failurePct!)} ≤ ${gate.maxFailurePct} %.` };
  }
  return { ...base, status: "in_progress", reason: `${installed} of ${attempted} attempted installed (${pct(successPct!)}); the gate passes at ${gate.minSuccessPct} %.` };
}
