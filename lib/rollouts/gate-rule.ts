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
// - With a rollback maximum (`maxRollbackPct`), also a breach when rolled back devices alone are
//   ABOVE that share of attempted (they still count as failures for the failure maximum).
// - With a regression signal, a breach when helpdesk reports per 100 updated machines are ABOVE
//   `maxRatio` times those per 100 not yet updated machines of the same wave; decided only from
//   `minReports` reports (on both sides together), independently of `minAttempted`. No report on
//   the not-updated side makes any report on the updated side a breach; with no updated machine,
//   or no machine left to compare with, it decides nothing.
import { ATTEMPTED_STATES, FAILURE_STATES, SUCCESS_STATES, type StateCounts } from "@/lib/deployments/states";

export type Gate = {
  minSuccessPct: number;
  maxFailurePct: number;
  minAttempted: number;
  /** null: rollbacks count only as failures. */
  maxRollbackPct?: number | null;
  /** null: no regression signal. */
  regression?: { minReports: number; maxRatio: number } | null;
};

/** Helpdesk reports on the wave's machines, split by whether the machine installed the update. */
export type RegressionCounts = { updated: number; reportsUpdated: number; notUpdated: number; reportsNotUpdated: number };

export type RegressionVerdict = RegressionCounts & {
  /** Reports per 100 machines on each side (null: no machine on that side). */
  perHundredUpdated: number | null;
  perHundredNotUpdated: number | null;
  /** perHundredUpdated / perHundredNotUpdated (null when not computable, Infinity when the baseline is 0). */
  ratio: number | null;
  status: "waiting_for_data" | "ok" | "breached";
};

export type GateStatus = "waiting_for_data" | "in_progress" | "passed" | "breached";

export type GateVerdict = {
  status: GateStatus;
  attempted: number;
  installed: number;
  failed: number;
  rolledBack: number;
  successPct: number | null;
  failurePct: number | null;
  rollbackPct: number | null;
  /** Set when the gate has a regression signal. */
  regression: RegressionVerdict | null;
  /** One sentence with the numbers; set for every status. */
  reason: string;
};

const sum = (counts: StateCounts, states: readonly string[]) =>
  states.reduce((n, s) => n + (counts[s as keyof StateCounts] ?? 0), 0);
const pct = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} %`;
const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The regression signal alone (integer cross-multiplication, so exactly at the ratio is not a breach). */
export function judgeRegression(counts: RegressionCounts, rule: { minReports: number; maxRatio: number }): RegressionVerdict {
  const { updated, reportsUpdated, notUpdated, reportsNotUpdated } = counts;
  const perHundredUpdated = updated > 0 ? (reportsUpdated * 100) / updated : null;
  const perHundredNotUpdated = notUpdated > 0 ? (reportsNotUpdated * 100) / notUpdated : null;
  const ratio = perHundredUpdated === null || perHundredNotUpdated === null ? null : perHundredNotUpdated === 0 ? (perHundredUpdated === 0 ? 0 : Infinity) : perHundredUpdated / perHundredNotUpdated;
  const base = { ...counts, perHundredUpdated, perHundredNotUpdated, ratio };
  if (reportsUpdated + reportsNotUpdated < Math.max(1, rule.minReports) || updated === 0 || notUpdated === 0) return { ...base, status: "waiting_for_data" };
  // reportsUpdated/updated > maxRatio × reportsNotUpdated/notUpdated, without dividing
  const breached = reportsUpdated * notUpdated > rule.maxRatio * reportsNotUpdated * updated;
  return { ...base, status: breached ? "breached" : "ok" };
}

function regressionReason(r: RegressionVerdict, maxRatio: number): string {
  const ratio = r.ratio === Infinity ? "no report from machines not yet updated" : `${num(r.ratio!)} times`;
  return `Regression signal: ${num(r.perHundredUpdated!)} helpdesk reports per 100 updated machines (${r.reportsUpdated} on ${r.updated}) against ${num(r.perHundredNotUpdated!)} per 100 not yet updated (${r.reportsNotUpdated} on ${r.notUpdated}), ${ratio}, above the maximum ${num(maxRatio)} times.`;
}

export function judgeGate(counts: StateCounts, gate: Gate, regressionCounts?: RegressionCounts | null): GateVerdict {
  const attempted = sum(counts, ATTEMPTED_STATES);
  const installed = sum(counts, SUCCESS_STATES);
  const failures = sum(counts, FAILURE_STATES);
  const failed = counts.failed ?? 0;
  const rolledBack = counts.rolled_back ?? 0;
  const successPct = attempted === 0 ? null : (installed * 100) / attempted;
  const failurePct = attempted === 0 ? null : (failures * 100) / attempted;
  const rollbackPct = attempted === 0 ? null : (rolledBack * 100) / attempted;
  const regression = gate.regression && regressionCounts ? judgeRegression(regressionCounts, gate.regression) : null;
  const base = { attempted, installed, failed, rolledBack, successPct, failurePct, rollbackPct, regression };

  if (regression?.status === "breached") {
    return { ...base, status: "breached", reason: `Health gate breached: ${regressionReason(regression, gate.regression!.maxRatio)}` };
  }
  if (attempted < Math.max(1, gate.minAttempted)) {
    return { ...base, status: "waiting_for_data", reason: `${attempted} of at least ${gate.minAttempted} devices attempted so far; the gate decides from ${gate.minAttempted}.` };
  }
  const numbers = `${failed} failed and ${rolledBack} rolled back of ${attempted} attempted`;
  if (gate.maxRollbackPct != null && rolledBack * 100 > gate.maxRollbackPct * attempted) {
    return {
      ...base,
      status: "breached",
      reason: `Health gate breached: rollback rate ${pct(rollbackPct!)} (${rolledBack} rolled back of ${attempted} attempted) is above the rollback maximum ${gate.maxRollbackPct} %.`,
    };
  }
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
