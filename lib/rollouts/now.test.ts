import { describe, expect, it } from "vitest";
import { judgeGate } from "./gate-rule";
import { gateSentence, rolloutNow, startState, type NowWave } from "./now";
import type { StateCounts } from "@/lib/deployments/states";

const GATE = { minSuccessPct: 95, maxFailurePct: 3, minAttempted: 50 };

function wave(position: number, status: string, counts: StateCounts = {}, extra: Partial<NowWave> = {}): NowWave {
  return {
    id: 100 + position,
    position,
    name: `${position} – ring ${position}`,
    status,
    gate: GATE,
    verdict: judgeGate(counts, GATE),
    gatePassedAt: null,
    haltReason: null,
    autoStart: false,
    soakDays: 0,
    blockingIssues: [],
    held: counts.held ?? 0,
    ...extra,
  };
}

describe("the gate in one sentence", () => {
  it("names the rates, the attempts and the thresholds", () => {
    // 400 of 412 installed = 97.1 %, 5 failed + 0 rolled back = 1.2 %
    const verdict = judgeGate({ installed: 400, failed: 5, installing: 7 }, GATE);
    expect(gateSentence(GATE, verdict)).toBe("Gate passing: 97.1 % succeeded, 1.2 % failed of 412 attempted (needs ≥ 95 % and ≤ 3 % over 50).");
  });

  it("says when there are not enough attempts yet", () => {
    expect(gateSentence(GATE, judgeGate({ installed: 12, pending: 300 }, GATE))).toBe(
      "Gate not decided: not enough attempts yet, 12 of 50 attempted (needs ≥ 95 % and ≤ 3 % over 50).",
    );
  });

  it("says breached and not passed yet with thousands separators", () => {
    expect(gateSentence({ ...GATE, minAttempted: 1000 }, judgeGate({ installed: 1000, failed: 100 }, { ...GATE, minAttempted: 1000 }))).toBe(
      "Gate breached: 90.9 % succeeded, 9.1 % failed of 1,100 attempted (needs ≥ 95 % and ≤ 3 % over 1,000).",
    );
    expect(gateSentence(GATE, judgeGate({ installed: 90, downloading: 10 }, GATE))).toBe("Gate not passed yet: 90.0 % succeeded, 0.0 % failed of 100 attempted (needs ≥ 95 % and ≤ 3 % over 50).");
  });

  it("says when a gate passed earlier and where the numbers stand now", () => {
    expect(gateSentence(GATE, judgeGate({ installed: 86, downloading: 10, failed: 2 }, GATE), "active", "2004-08-10T09:00:00.000Z")).toBe(
      "Gate passed on 2004-08-10; now 87.8 % succeeded, 2.0 % failed of 98 attempted (needs ≥ 95 % and ≤ 3 % over 50).",
    );
  });

  it("says a planned wave's gate has not started", () => {
    expect(gateSentence(GATE, judgeGate({ pending: 10 }, GATE), "planned")).toBe("Gate not started: no attempts yet (needs ≥ 95 % and ≤ 3 % over 50).");
  });
});

describe("which wave may start", () => {
  it("offers only the first planned wave a start, and tells the later ones whom they wait for", () => {
    const waves = [wave(0, "planned"), wave(1, "planned"), wave(2, "planned")];
    expect(startState(waves, waves[0])).toEqual({ kind: "may" });
    expect(startState(waves, waves[1])).toEqual({ kind: "waits", why: "Waits for wave “0 – ring 0” to start and pass its gate." });
    expect(startState(waves, waves[2])).toEqual({ kind: "waits", why: "Waits for wave “1 – ring 1” to start and pass its gate." });
  });

  it("lets the next wave start before the previous gate passed only with a reason, and not at all when a blocking issue is confirmed", () => {
    const waves = [wave(0, "active"), wave(1, "planned")];
    expect(startState(waves, waves[1])).toEqual({ kind: "override", why: "Waits for wave “0 – ring 0” to pass its gate; starting earlier needs a written reason." });
    const passed = [wave(0, "active", {}, { gatePassedAt: "2004-08-01T00:00:00Z" }), wave(1, "planned")];
    expect(startState(passed, passed[1]).kind).toBe("may");
    const blocked = [passed[0], wave(1, "planned", {}, { blockingIssues: [{ id: 1, advisoryId: "RC-0002", title: "Firewall" }] })];
    expect(startState(blocked, blocked[1])).toEqual({ kind: "blocked", why: "Cannot start: blocking known issue RC-0002 (Firewall) is confirmed." });
    const halted = [wave(0, "halted", {}, { gatePassedAt: "2004-08-01T00:00:00Z" }), wave(1, "planned")];
    expect(startState(halted, halted[1]).kind).toBe("override");
  });
});

describe("the now panel", () => {
  it("before anything started: the first wave and its start button", () => {
    const now = rolloutNow([wave(0, "planned"), wave(1, "planned")]);
    expect(now.headline).toBe("Wave “0 – ring 0” is planned.");
    expect(now.action).toMatchObject({ waveId: 100, action: "start", label: "Start wave “0 – ring 0”", variant: "primary", needsReason: false });
  });

  it("an active wave whose gate passed: start the next one, and name its holds", () => {
    const now = rolloutNow([
      wave(0, "completed", { installed: 60 }),
      wave(1, "active", { installed: 400, failed: 5, installing: 7 }, { gatePassedAt: "2004-08-01T00:00:00Z" }),
      wave(2, "planned", { held: 4, pending: 100 }),
      wave(3, "planned"),
    ]);
    expect(now.wave?.id).toBe(101);
    expect(now.gate).toMatch(/^Gate passing: 97\.1 % succeeded/);
    expect(now.action).toMatchObject({ waveId: 102, action: "start", label: "Start wave “2 – ring 2”" });
    expect(now.blockers).toEqual([{ kind: "holds", wave: "2 – ring 2", devices: 4 }]);
  });

  it("an active wave still short of its gate: no button, the next wave waits for it", () => {
    const now = rolloutNow([wave(0, "active", { installed: 10, pending: 90 }), wave(1, "planned")]);
    expect(now.action).toBeNull();
    expect(now.note).toBe("Wave “1 – ring 1” is next. Waits for wave “0 – ring 0” to pass its gate; starting earlier needs a written reason.");
  });

  it("a halted wave comes first: its reason is a blocker and resuming needs a reason", () => {
    const now = rolloutNow([wave(0, "halted", { failed: 30, installed: 30 }, { haltReason: "Blue screens after restart" }), wave(1, "planned")]);
    expect(now.headline).toBe("Wave “0 – ring 0” is halted.");
    expect(now.blockers).toContainEqual({ kind: "halted", waveId: 100, wave: "0 – ring 0", reason: "Blue screens after restart" });
    expect(now.action).toMatchObject({ action: "resume", needsReason: true });
  });

  it("a blocked next wave: no start button, the issue is named", () => {
    const issue = { id: 7, advisoryId: "RC-0007", title: "Firewall blocks the update" };
    const now = rolloutNow([wave(0, "active", {}, { gatePassedAt: "2004-08-01T00:00:00Z" }), wave(1, "planned", {}, { blockingIssues: [issue] })]);
    expect(now.action).toBeNull();
    expect(now.blockers).toEqual([{ kind: "issue", advisoryId: "RC-0007", title: "Firewall blocks the update", wave: "1 – ring 1" }]);
  });

  it("the last wave passed its gate: complete it, after a confirmation; all completed: nothing to do", () => {
    const last = rolloutNow([wave(0, "completed"), wave(1, "active", { installed: 100 })]);
    expect(last.action).toMatchObject({ action: "complete", confirm: expect.stringContaining("cannot be resumed") });
    const done = rolloutNow([wave(0, "completed"), wave(1, "completed")]);
    expect(done).toMatchObject({ wave: null, headline: "All waves completed.", action: null, gate: null });
  });

  it("a paused wave resumes without a reason", () => {
    expect(rolloutNow([wave(0, "paused")]).action).toMatchObject({ action: "resume", label: "Resume wave “0 – ring 0”", needsReason: false });
  });
});
