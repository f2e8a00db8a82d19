// What the top of a rollout page says: which wave the rollout is at, its gate in one sentence, what
// blocks it and the one thing an editor can do next. A pure function of the waves the page already
// read (getRolloutDetail), so it costs no query and is tested without a database. The rules mirror
// startRefusal in lifecycle.ts (the server still decides): waves start in order, the previous one
// must have passed its gate and not be halted (else only with a written reason), and a confirmed
// blocking known issue stops a wave from starting at all.
import type { Gate, GateVerdict } from "./gate-rule";
import { formatNumber, formatPercent } from "@/lib/format";

export type NowWave = {
  id: number;
  position: number;
  name: string;
  status: string;
  gate: Gate;
  verdict: GateVerdict;
  gatePassedAt: string | null;
  haltReason: string | null;
  autoStart: boolean;
  soakDays: number;
  blockingIssues: { id: number; advisoryId: string; title: string }[];
  /** Devices of the wave a safeguard hold keeps back. */
  held: number;
};

export type WaveAction = "start" | "pause" | "resume" | "halt" | "complete";

/** Whether a planned wave may start now, and if not, why (one sentence). */
export type StartState =
  | { kind: "may" }
  /** Its turn, but the previous wave has not passed its gate (or is halted): only with a written reason. */
  | { kind: "override"; why: string }
  /** Not its turn: an earlier wave has not started. */
  | { kind: "waits"; why: string }
  /** A confirmed blocking known issue affects it. */
  | { kind: "blocked"; why: string };

export type NextAction = {
  waveId: number;
  action: WaveAction;
  label: string;
  variant: "primary" | "secondary" | "danger";
  /** The server refuses this action without a written reason. */
  needsReason: boolean;
  confirm?: string;
};

export type Blocker =
  | { kind: "halted"; waveId: number; wave: string; reason: string | null }
  | { kind: "issue"; advisoryId: string; title: string; wave: string }
  | { kind: "holds"; wave: string; devices: number };

export type RolloutNow = {
  /** The wave the rollout is at; null when every wave completed (or there is none). */
  wave: NowWave | null;
  /** "Wave 1 – headquarters is active." or "All waves completed." */
  headline: string;
  gate: string | null;
  blockers: Blocker[];
  /** What comes next when there is no button for it (waiting for the gate, a blocked wave …). */
  note: string | null;
  action: NextAction | null;
};

const IN_FLIGHT = ["active", "paused", "halted"];

/** "wave “1 – headquarters”", or the name itself when it already says wave ("Wave 0 – pilot"). */
export function waveLabel(wave: Pick<NowWave, "name">): string {
  return /^wave\b/i.test(wave.name) ? wave.name : `wave “${wave.name}”`;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The gate in one sentence with its numbers, e.g. "Gate passing: 97.2 % succeeded, 1.1 % failed of
 * 412 attempted (needs ≥ 95 % and ≤ 3 % over 50)". Failed counts rolled back devices too, as the gate does.
 */
export function gateSentence(gate: Gate, verdict: GateVerdict, waveStatus = "active", passedAt: string | null = null): string {
  const needs = `(needs ≥ ${gate.minSuccessPct} % and ≤ ${gate.maxFailurePct} % over ${formatNumber(gate.minAttempted)})`;
  if (waveStatus === "planned" && verdict.attempted === 0) return `Gate not started: no attempts yet ${needs}.`;
  if (verdict.status === "waiting_for_data") {
    return `Gate not decided: not enough attempts yet, ${formatNumber(verdict.attempted)} of ${formatNumber(gate.minAttempted)} attempted ${needs}.`;
  }
  const numbers = `${formatPercent(verdict.successPct)} succeeded, ${formatPercent(verdict.failurePct)} failed of ${formatNumber(verdict.attempted)} attempted ${needs}`;
  if (verdict.status === "passed") return `Gate passing: ${numbers}.`;
  if (verdict.status === "breached") return `Gate breached: ${numbers}.`;
  // The gate latched when it passed (the next wave may start); later devices can move the rate below it.
  if (passedAt) return `Gate passed on ${passedAt.slice(0, 10)}; now ${numbers}.`;
  return `Gate not passed yet: ${numbers}.`;
}

/** May `wave` (planned) start now? Mirrors startRefusal without the database. */
export function startState(waves: readonly NowWave[], wave: NowWave): StartState {
  if (wave.blockingIssues.length) {
    const issues = wave.blockingIssues.map((b) => `${b.advisoryId} (${b.title})`).join(", ");
    return { kind: "blocked", why: `Cannot start: blocking known issue ${issues} is confirmed.` };
  }
  const earlier = waves.filter((w) => w.position < wave.position);
  const previous = earlier.at(-1);
  if (earlier.some((w) => w.status === "planned")) {
    return { kind: "waits", why: `Waits for ${waveLabel(previous!)} to start and pass its gate.` };
  }
  if (previous && previous.status === "halted") {
    return { kind: "override", why: `Waits for ${waveLabel(previous)}, which is halted; starting now needs a written reason.` };
  }
  if (previous && !previous.gatePassedAt) {
    return { kind: "override", why: `Waits for ${waveLabel(previous)} to pass its gate; starting earlier needs a written reason.` };
  }
  return { kind: "may" };
}

/** The wave the rollout is at: a halted one first (it needs someone), else the latest started, else the next planned. */
export function currentWave(waves: readonly NowWave[]): NowWave | null {
  const halted = waves.find((w) => w.status === "halted");
  if (halted) return halted;
  const inFlight = waves.filter((w) => IN_FLIGHT.includes(w.status));
  if (inFlight.length) return inFlight.at(-1)!;
  return waves.find((w) => w.status === "planned") ?? null;
}

function startAction(wave: NowWave): NextAction {
  return { waveId: wave.id, action: "start", label: `Start ${waveLabel(wave)}`, variant: "primary", needsReason: false };
}

function autoStartNote(current: NowWave, next: NowWave): string | null {
  if (!next.autoStart || !current.gatePassedAt) return null;
  const due = new Date(new Date(current.gatePassedAt).getTime() + next.soakDays * 86_400_000);
  return `${capitalised(waveLabel(next))} starts by itself after ${next.soakDays} days of soak (from ${due.toISOString().slice(0, 10)}).`;
}

/** Next step for an active wave: start the next one when its turn came, else wait for the gate or complete. */
function afterActive(waves: readonly NowWave[], current: NowWave): Pick<RolloutNow, "action" | "note"> {
  if (current.verdict.status === "breached") {
    return {
      action: {
        waveId: current.id,
        action: "halt",
        label: `Halt ${waveLabel(current)}`,
        variant: "danger",
        needsReason: true,
        confirm: `Halt ${waveLabel(current)}? Its machines stop being offered the update until it is resumed.`,
      },
      note: "The gate is breached: halt the wave and look at what broke.",
    };
  }
  const next = waves.find((w) => w.position > current.position && w.status === "planned");
  if (!next) {
    if (current.verdict.status !== "passed") return { action: null, note: `Last wave: once its gate passes, mark ${waveLabel(current)} completed.` };
    return {
      action: {
        waveId: current.id,
        action: "complete",
        label: `Complete ${waveLabel(current)}`,
        variant: "primary",
        needsReason: false,
        confirm: `Mark ${waveLabel(current)} completed? A completed wave cannot be resumed.`,
      },
      note: null,
    };
  }
  const start = startState(waves, next);
  if (start.kind === "may") return { action: startAction(next), note: autoStartNote(current, next) };
  return { action: null, note: `${capitalised(waveLabel(next))} is next. ${start.why}` };
}

/** Everything the "now" panel says, from the rollout's waves in order. */
export function rolloutNow(waves: readonly NowWave[]): RolloutNow {
  const current = currentWave(waves);
  const blockers: Blocker[] = waves
    .filter((w) => w.status === "halted")
    .map((w) => ({ kind: "halted" as const, waveId: w.id, wave: w.name, reason: w.haltReason }));
  if (!current) {
    return { wave: null, headline: waves.length ? "All waves completed." : "This rollout has no waves.", gate: null, blockers, note: null, action: null };
  }
  let step: Pick<RolloutNow, "action" | "note">;
  let target = current;
  if (current.status === "halted") {
    step = { action: { waveId: current.id, action: "resume", label: `Resume ${waveLabel(current)}`, variant: "primary", needsReason: true }, note: null };
  } else if (current.status === "paused") {
    step = { action: { waveId: current.id, action: "resume", label: `Resume ${waveLabel(current)}`, variant: "primary", needsReason: false }, note: null };
  } else if (current.status === "planned") {
    const start = startState(waves, current);
    step = start.kind === "may" ? { action: startAction(current), note: null } : { action: null, note: start.why };
  } else {
    step = afterActive(waves, current);
    const next = step.action?.action === "start" ? waves.find((w) => w.id === step.action!.waveId) : waves.find((w) => w.position > current.position && w.status === "planned");
    if (next) target = next;
  }
  for (const wave of target === current ? [current] : [current, target]) {
    for (const issue of wave.blockingIssues) {
      if (!blockers.some((b) => b.kind === "issue" && b.advisoryId === issue.advisoryId)) blockers.push({ kind: "issue", advisoryId: issue.advisoryId, title: issue.title, wave: wave.name });
    }
  }
  for (const wave of target === current ? [current] : [current, target]) {
    if (wave.held > 0) blockers.push({ kind: "holds", wave: wave.name, devices: wave.held });
  }
  return {
    wave: current,
    headline: `${capitalised(waveLabel(current))} is ${current.status}.`,
    gate: gateSentence(current.gate, current.verdict, current.status, current.gatePassedAt),
    blockers,
    ...step,
  };
}
