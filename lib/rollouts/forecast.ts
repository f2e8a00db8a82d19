// Will a wave reach its compliance target by its deadline? A pure forecast from the install rate of
// the last 7 days (issue #18): the rest of the target at that rate gives the expected completion.
//   done      the wave reached its target (or was completed)
//   late      the deadline has passed and the target is not reached
//   at_risk   at the current rate the target is reached after the deadline
//   on_track  at the current rate the target is reached by the deadline (or the wave has no deadline)
//   no_data   nothing to forecast from: no machines in scope, or no installs in the window and no ramp
// A wave that has not started has no install rate; when it has a ramp (max machines per day), the
// ramp is its rate from its planned start.
import { DAY_MS, dayStart, isoDay } from "./wave-dates";

export const FORECAST_WINDOW_DAYS = 7;
export const FORECAST_STATUSES = ["on_track", "at_risk", "late", "done", "no_data"] as const;
export type ForecastStatus = (typeof FORECAST_STATUSES)[number];

export type Forecast = {
  /** The day (YYYY-MM-DD, UTC) the wave reaches its target at the rate; null when done or no_data. */
  expectedCompletion: string | null;
  status: ForecastStatus;
  /** Machines per day the forecast assumes (null: none). */
  ratePerDay: number | null;
  /** Machines that must be installed to meet the target, and how many of them are still missing. */
  targetDevices: number;
  remaining: number;
};

export type ForecastInput = {
  now: Date;
  waveStatus: string;
  /** Machines in scope (not applicable and excluded are not) and how many are installed. */
  inScope: number;
  installed: number;
  complianceTargetPct: number;
  /** Installs of the wave whose installed state occurred in the last FORECAST_WINDOW_DAYS days. */
  installedInWindow: number;
  startedAt: Date | null;
  plannedStartAt: Date | null;
  deadlineAt: Date | null;
  maxDevicesPerDay: number | null;
};

const addDays = (day: string, days: number) => isoDay(new Date(dayStart(day).getTime() + days * DAY_MS));

export function forecastWave(input: ForecastInput): Forecast {
  const targetDevices = Math.ceil((input.inScope * input.complianceTargetPct) / 100);
  const remaining = Math.max(0, targetDevices - input.installed);
  const result = (status: ForecastStatus, expectedCompletion: string | null = null, ratePerDay: number | null = null): Forecast => ({
    expectedCompletion,
    status,
    ratePerDay,
    targetDevices,
    remaining,
  });
  if (input.waveStatus === "completed" || (input.inScope > 0 && remaining === 0)) return result("done");
  const today = isoDay(input.now);
  const deadlineDay = input.deadlineAt ? isoDay(input.deadlineAt) : null;
  const pastDeadline = deadlineDay !== null && today > deadlineDay;
  if (input.inScope === 0) return result("no_data");

  let rate: number | null = null;
  let fromDay = today;
  if (input.startedAt && input.waveStatus !== "planned") {
    // A wave younger than the window is measured over the days it has run (at least one).
    const ranDays = Math.min(FORECAST_WINDOW_DAYS, Math.max(1, (input.now.getTime() - input.startedAt.getTime()) / DAY_MS));
    rate = input.installedInWindow > 0 ? input.installedInWindow / ranDays : null;
  } else if (input.maxDevicesPerDay) {
    rate = input.maxDevicesPerDay;
    const plannedDay = input.plannedStartAt ? isoDay(input.plannedStartAt) : today;
    if (plannedDay > today) fromDay = plannedDay;
  }
  if (pastDeadline) return result("late", rate ? addDays(fromDay, Math.ceil(remaining / rate)) : null, rate);
  if (!rate) return result("no_data");
  const expectedCompletion = addDays(fromDay, Math.ceil(remaining / rate));
  if (deadlineDay === null || expectedCompletion <= deadlineDay) return result("on_track", expectedCompletion, rate);
  return result("at_risk", expectedCompletion, rate);
}
