// What the charts plot, as pure functions of per-state counts (lib/deployments/states.ts decides
// what a state means). No database and no React: the DAL, the JSON routes and the client charts
// all use these, so a chart and its table can never disagree.
import { FAILURE_STATES, WAITING_STATES, IN_PROGRESS_STATES, type DeploymentState, type StateCounts } from "@/lib/deployments/states";
import { judgeGate, type Gate, type GateStatus } from "@/lib/rollouts/gate-rule";

/** The stacks of every state bar, in drawing order. Colours are CSS variables from app/globals.css. */
export const STATE_SERIES = [
  { key: "installed", label: "Installed", colour: "var(--c-installed)", states: ["installed"] },
  // Installed on an older build than the wave now targets: a share of `installed` that only the
  // rollout's reads can tell apart (they know each wave's target), moved here by withBehind.
  { key: "behind", label: "Installed, behind", colour: "var(--c-behind)", states: [] },
  { key: "inProgress", label: "In progress", colour: "var(--c-in-progress)", states: IN_PROGRESS_STATES },
  { key: "waiting", label: "Waiting", colour: "var(--c-waiting)", states: WAITING_STATES.filter((s) => s !== "held") },
  { key: "held", label: "Held by a known issue", colour: "var(--c-held)", states: ["held"] },
  { key: "failed", label: "Failed", colour: "var(--c-failed)", states: ["failed"] },
  { key: "rolledBack", label: "Rolled back", colour: "var(--c-rolled-back)", states: ["rolled_back"] },
  { key: "notApplicable", label: "Not applicable", colour: "var(--c-na)", states: ["not_applicable"] },
  { key: "excluded", label: "Excluded", colour: "var(--c-excluded)", states: ["excluded"] },
] as const satisfies readonly { key: string; label: string; colour: string; states: readonly DeploymentState[] }[];

export type SeriesKey = (typeof STATE_SERIES)[number]["key"];
export type StateGroupCounts = Record<SeriesKey, number>;

export function groupCounts(counts: StateCounts): StateGroupCounts {
  const out = {} as StateGroupCounts;
  for (const series of STATE_SERIES) {
    out[series.key] = (series.states as readonly DeploymentState[]).reduce((n, s) => n + (counts[s] ?? 0), 0);
  }
  return out;
}

/** Moves a wave's "installed, behind" machines out of installed into their own stack (never done, never failed). */
export function withBehind(groups: StateGroupCounts, behind: number): StateGroupCounts {
  const moved = Math.min(Math.max(0, behind), groups.installed);
  return { ...groups, installed: groups.installed - moved, behind: groups.behind + moved };
}

export type BreakdownRow = { label: string; total: number } & StateGroupCounts;
export type WaveChartRow = { waveId: number; name: string; position: number; status: string; total: number } & StateGroupCounts;

/** Per-label state counts → rows for a stacked bar chart, largest population first. */
export function breakdownRows(byLabel: Map<string, StateCounts>): BreakdownRow[] {
  return [...byLabel.entries()]
    .map(([label, counts]) => {
      const groups = groupCounts(counts);
      const total = Object.values(groups).reduce((a, b) => a + b, 0);
      return { label, total, ...groups };
    })
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
}

export type AdoptionPoint = { day: string; installed: number; cumulative: number };

/** Installs per day (any order, gaps allowed) → the cumulative adoption curve, by day. */
export function cumulativeAdoption(days: { day: string; installed: number }[]): AdoptionPoint[] {
  let running = 0;
  return [...days]
    .filter((d) => d.installed !== 0)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
    .map((d) => {
      running += d.installed;
      return { day: d.day, installed: d.installed, cumulative: running };
    });
}

export type WaveRate = {
  waveId: number;
  name: string;
  status: string;
  attempted: number;
  /** Percent of attempted devices (null before anything was attempted). */
  failedPct: number | null;
  rolledBackPct: number | null;
  failureRatePct: number | null;
  gateMaxFailurePct: number;
  gateMinAttempted: number;
  gateStatus: GateStatus;
  gateReason: string;
};

/** The failure and rollback rate of a wave against its gate, with the gate's own verdict. */
export function waveRate(wave: { id: number; name: string; status: string; gate: Gate }, counts: StateCounts): WaveRate {
  const verdict = judgeGate(counts, wave.gate);
  const share = (n: number) => (verdict.attempted === 0 ? null : (n * 100) / verdict.attempted);
  const failures = FAILURE_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  return {
    waveId: wave.id,
    name: wave.name,
    status: wave.status,
    attempted: verdict.attempted,
    failedPct: share(counts.failed ?? 0),
    rolledBackPct: share(counts.rolled_back ?? 0),
    failureRatePct: share(failures),
    gateMaxFailurePct: wave.gate.maxFailurePct,
    gateMinAttempted: wave.gate.minAttempted,
    gateStatus: verdict.status,
    gateReason: verdict.reason,
  };
}
