// The suite's verdicts: each check passes or fails with one line saying what was compared, and
// each fault records how long the server took to answer again.

export type CheckResult = { scenario: string; name: string; ok: boolean; detail: string };
export type FaultTiming = { scenario: string; fault: string; recoveredMs: number | null; note: string };

/** Longest a server may take to answer /api/health 200 again after a fault (issue 9). */
export const RECOVERY_LIMIT_MS = 5_000;

export class Checks {
  readonly results: CheckResult[] = [];
  readonly faults: FaultTiming[] = [];

  constructor(private readonly log: (line: string) => void) {}

  check(scenario: string, name: string, ok: boolean, detail = ""): boolean {
    this.results.push({ scenario, name, ok, detail });
    this.log(`${ok ? "ok  " : "FAIL"} [${scenario}] ${name}${detail ? ` — ${detail}` : ""}`);
    return ok;
  }

  /** Records a fault's recovery time and checks it against the 5 s limit. */
  recovery(scenario: string, fault: string, recoveredMs: number | null, note = ""): void {
    this.faults.push({ scenario, fault, recoveredMs, note });
    const took = recoveredMs === null ? "no answer" : `${recoveredMs} ms`;
    this.check(scenario, `answers /api/health 200 within ${RECOVERY_LIMIT_MS / 1000} s after ${fault}`, recoveredMs !== null && recoveredMs <= RECOVERY_LIMIT_MS, `${took}${note ? `; ${note}` : ""}`);
  }

  get passed(): number {
    return this.results.filter((r) => r.ok).length;
  }

  get failed(): number {
    return this.results.filter((r) => !r.ok).length;
  }
}
