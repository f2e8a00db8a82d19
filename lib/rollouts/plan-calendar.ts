// The planner's calendar and control settings per wave (issue #18): start and deadline as a date or
// "release + N days", compliance target, gate action, rollback maximum, regression signal,
// readiness rule and blocking known issues; per rollout the days after which a machine is silent.
// The schema extends the plan's (plan-preview.ts, which has the ramp); the rules that need the update's planned release
// date (an offset needs one, the deadline comes after the start) are here, pure, for plan.ts.
import { z } from "zod";
import type { FieldError } from "@/lib/http/problem";
import { PlanInput as BasePlanInput, WaveInput as BaseWaveInput } from "./plan-preview";
import { dateFromRelease, isoDay } from "./wave-dates";

/** "" (an empty form field) and a missing value both mean "not set". */
const unset = (v: unknown) => (v === "" || v === undefined ? null : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.nullable()).optional();
const PCT = "Enter a whole percentage from 0 to 100.";
const pct = () => z.coerce.number({ message: PCT }).int(PCT).min(0, PCT).max(100, PCT);
const OFFSET = "Enter whole days from the release (negative: before it), at most 3650.";
const offsetDays = () => z.coerce.number({ message: OFFSET }).int(OFFSET).min(-3650, OFFSET).max(3650, OFFSET);

export const GATE_ACTIONS = ["halt", "pause", "alert"] as const;

export const WaveCalendarFields = {
  /** Set: the start is the update's planned release date + this many days (plannedStartAt is then ignored). */
  startOffsetDays: optional(offsetDays()),
  deadlineAt: optional(z.coerce.date({ message: "Enter a valid date." })),
  /** Set: the deadline is the planned release date + this many days (deadlineAt is then ignored). */
  deadlineOffsetDays: optional(offsetDays()),
  complianceTargetPct: z.preprocess((v) => (v === "" ? undefined : v), pct().default(95)),
  gateAction: z.preprocess((v) => (v === "" ? undefined : v), z.enum(GATE_ACTIONS, { message: "Choose halt, pause or alert." }).default("halt")),
  gateMaxRollbackPct: optional(pct()),
  regressionMinReports: optional(z.coerce.number({ message: "Enter a number of reports." }).int("Whole reports only.").min(1, "At least 1 report.").max(100_000, "At most 100,000.")),
  regressionMaxRatio: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number({ message: "Enter a ratio, e.g. 2." }).positive("The ratio must be more than 0.").max(100, "At most 100.").default(2),
  ),
  readinessMaxUntestedPct: optional(pct()),
  /** Advisory ids (RC-0003) of the update's known issues that block this wave. */
  blockingIssues: z.array(z.string().trim().toUpperCase().max(40)).max(100).default([]).transform((ids) => [...new Set(ids.filter(Boolean))]),
};

export const WaveInput = BaseWaveInput.extend(WaveCalendarFields);

export const PlanInput = BasePlanInput.extend({
  /** In an active wave, a machine with no report for this many days is "silent". */
  silentAfterDays: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number({ message: "Enter a number of days." }).int("Whole days only.").min(1, "At least 1 day.").max(365, "At most 365 days.").default(7),
  ),
  waves: z.array(WaveInput).min(1, "Add at least one wave.").max(50, "At most 50 waves."),
});
export type PlanInput = z.input<typeof PlanInput>;
export type Plan = z.output<typeof PlanInput>;
export type PlannedWave = Plan["waves"][number];

/** The wave's start and deadline as stored: an offset resolved from the release date, else the date given. */
export function resolvedDates(wave: Pick<PlannedWave, "plannedStartAt" | "startOffsetDays" | "deadlineAt" | "deadlineOffsetDays">, release: string | null) {
  const resolve = (date: Date | null | undefined, offset: number | null | undefined) =>
    offset !== null && offset !== undefined ? (release ? dateFromRelease(release, offset) : null) : (date ?? null);
  return { plannedStartAt: resolve(wave.plannedStartAt, wave.startOffsetDays), deadlineAt: resolve(wave.deadlineAt, wave.deadlineOffsetDays) };
}

/** An offset needs a planned release date; the deadline comes after the start. Messages per field. */
export function calendarErrors(plan: Plan, release: string | null): FieldError[] {
  const errors: FieldError[] = [];
  plan.waves.forEach((wave, i) => {
    const noRelease = "This update has no planned release date yet: give a date, or record the release date on the update's page first.";
    const startOffset = wave.startOffsetDays !== null && wave.startOffsetDays !== undefined;
    const deadlineOffset = wave.deadlineOffsetDays !== null && wave.deadlineOffsetDays !== undefined;
    if (!release && startOffset) errors.push({ path: `waves.${i}.startOffsetDays`, message: noRelease });
    if (!release && deadlineOffset) errors.push({ path: `waves.${i}.deadlineOffsetDays`, message: noRelease });
    const { plannedStartAt, deadlineAt } = resolvedDates(wave, release);
    if (plannedStartAt && deadlineAt && isoDay(deadlineAt) <= isoDay(plannedStartAt)) {
      errors.push({
        path: `waves.${i}.${deadlineOffset ? "deadlineOffsetDays" : "deadlineAt"}`,
        message: `The deadline (${isoDay(deadlineAt)}) must come after the planned start (${isoDay(plannedStartAt)}).`,
      });
    }
  });
  return errors;
}
