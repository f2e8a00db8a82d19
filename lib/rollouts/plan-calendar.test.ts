// The planner's calendar and controls (issue #18 item 3): what the form sends parses, bad values are
// refused per field with a message, offsets resolve from the release date and the deadline comes
// after the start.
import { describe, expect, it } from "vitest";
import { blankWave, resolvedDay, toPlan } from "@/components/rollouts/planner-model";
import { calendarErrors, PlanInput, resolvedDates } from "./plan-calendar";

const paths = (input: unknown) => {
  const parsed = PlanInput.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("planner calendar and controls", () => {
  it("parses what the planner sends, offsets and empty fields included", () => {
    const wave = { ...blankWave("HQ"), startMode: "offset" as const, startOffsetDays: "14", deadlineMode: "offset" as const, deadlineOffsetDays: "42", maxDevicesPerDay: "40", gateAction: "pause", blockingIssues: ["rc-0003"] };
    const plan = PlanInput.parse({ ...toPlan("SP2", "2", [wave], undefined, "10"), buildId: 2 });
    expect(plan.silentAfterDays).toBe(10);
    expect(plan.waves[0]).toMatchObject({ startOffsetDays: 14, deadlineOffsetDays: 42, plannedStartAt: null, deadlineAt: null, complianceTargetPct: 95, maxDevicesPerDay: 40, gateAction: "pause", regressionMaxRatio: 2, blockingIssues: ["RC-0003"] });
    expect(plan.waves[0].gateMaxRollbackPct ?? null).toBeNull();
    expect(resolvedDates(plan.waves[0], "2004-08-06")).toEqual({ plannedStartAt: new Date("2004-08-20T00:00:00Z"), deadlineAt: new Date("2004-09-17T00:00:00Z") });
    expect(resolvedDay("offset", "", "14", "2004-08-06")).toBe("2004-08-20");
    expect(resolvedDay("offset", "", "14", null)).toBeNull();
  });

  it("refuses a ramp of 0, percentages outside 0–100, an unknown gate action and fractional offsets, per field", () => {
    const wave = { name: "HQ", targeting: {}, maxDevicesPerDay: 0, complianceTargetPct: 101, gateMaxRollbackPct: -1, readinessMaxUntestedPct: "x", gateAction: "explode", startOffsetDays: 1.5, regressionMinReports: 0 };
    expect(paths({ buildId: 1, name: "SP2", silentAfterDays: 0, waves: [wave] }).sort()).toEqual([
      "silentAfterDays: At least 1 day.",
      "waves.0.complianceTargetPct: Enter a whole percentage from 0 to 100.",
      "waves.0.gateAction: Choose halt, pause or alert.",
      "waves.0.gateMaxRollbackPct: Enter a whole percentage from 0 to 100.",
      "waves.0.maxDevicesPerDay: A ramp offers at least 1 machine a day; leave it empty for no ramp.",
      "waves.0.readinessMaxUntestedPct: Enter a whole percentage from 0 to 100.",
      "waves.0.regressionMinReports: At least 1 report.",
      "waves.0.startOffsetDays: Enter whole days from the release (negative: before it), at most 3650.",
    ]);
  });

  it("the deadline comes after the start, whether dates or offsets; an offset needs a release date", () => {
    const plan = (wave: Record<string, unknown>) => PlanInput.parse({ buildId: 1, name: "SP2", waves: [{ name: "HQ", targeting: {}, ...wave }] });
    expect(calendarErrors(plan({ plannedStartAt: "2004-08-20", deadlineAt: "2004-08-20" }), null)).toEqual([
      { path: "waves.0.deadlineAt", message: "The deadline (2004-08-20) must come after the planned start (2004-08-20)." },
    ]);
    expect(calendarErrors(plan({ plannedStartAt: "2004-08-20", deadlineAt: "2004-08-21" }), null)).toEqual([]);
    expect(calendarErrors(plan({ startOffsetDays: 14, deadlineAt: "2004-08-19" }), "2004-08-06")).toEqual([
      { path: "waves.0.deadlineAt", message: "The deadline (2004-08-19) must come after the planned start (2004-08-20)." },
    ]);
    expect(calendarErrors(plan({ startOffsetDays: -10, deadlineOffsetDays: 0 }), "2004-08-06")).toEqual([]);
    expect(calendarErrors(plan({ deadlineOffsetDays: 0 }), null).map((e) => e.path)).toEqual(["waves.0.deadlineOffsetDays"]);
  });
});
