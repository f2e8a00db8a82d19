import { describe, expect, it } from "vitest";
import { forecastWave, type ForecastInput } from "./forecast";

const now = new Date("2004-08-20T12:00:00Z");
const base: ForecastInput = {
  now,
  waveStatus: "active",
  inScope: 200,
  installed: 100,
  complianceTargetPct: 95,
  installedInWindow: 70,
  startedAt: new Date("2004-08-01T09:00:00Z"),
  plannedStartAt: new Date("2004-08-01T00:00:00Z"),
  deadlineAt: new Date("2004-08-31T00:00:00Z"),
  maxDevicesPerDay: null,
};

describe("forecastWave (hand-computed)", () => {
  it("on track: target 190 of 200, 90 to go at 70/7 = 10 a day → 9 days → 2004-08-29, before the 31st", () => {
    expect(forecastWave(base)).toEqual({ status: "on_track", expectedCompletion: "2004-08-29", ratePerDay: 10, targetDevices: 190, remaining: 90 });
  });

  it("at risk: 35 installs in 7 days = 5 a day, 90 to go → 18 days → 2004-09-07, after the deadline", () => {
    expect(forecastWave({ ...base, installedInWindow: 35 })).toMatchObject({ status: "at_risk", expectedCompletion: "2004-09-07", ratePerDay: 5 });
  });

  it("the expected day equal to the deadline is on track; one day after is at risk", () => {
    // 90 to go at 9 a day = 10 days → 2004-08-30; deadline the 30th is met, the 29th is not.
    const nineADay = { ...base, installedInWindow: 63 };
    expect(forecastWave({ ...nineADay, deadlineAt: new Date("2004-08-30T00:00:00Z") }).status).toBe("on_track");
    expect(forecastWave({ ...nineADay, deadlineAt: new Date("2004-08-29T00:00:00Z") }).status).toBe("at_risk");
  });

  it("late: the deadline passed and the target is not reached", () => {
    expect(forecastWave({ ...base, deadlineAt: new Date("2004-08-19T00:00:00Z") })).toMatchObject({ status: "late", expectedCompletion: "2004-08-29" });
    expect(forecastWave({ ...base, installedInWindow: 0, deadlineAt: new Date("2004-08-19T00:00:00Z") })).toMatchObject({ status: "late", expectedCompletion: null });
  });

  it("done: the target is reached (ceil(95 % of 200) = 190), or the wave was completed", () => {
    expect(forecastWave({ ...base, installed: 190 })).toMatchObject({ status: "done", expectedCompletion: null, remaining: 0 });
    expect(forecastWave({ ...base, installed: 189 }).status).not.toBe("done");
    expect(forecastWave({ ...base, waveStatus: "completed", installed: 10 }).status).toBe("done");
    // Done wins over a deadline that has passed.
    expect(forecastWave({ ...base, installed: 200, deadlineAt: new Date("2004-08-01T00:00:00Z") }).status).toBe("done");
  });

  it("no data: no installs in the window, no machines in scope, or a planned wave without a ramp", () => {
    expect(forecastWave({ ...base, installedInWindow: 0 })).toMatchObject({ status: "no_data", expectedCompletion: null, ratePerDay: null });
    expect(forecastWave({ ...base, inScope: 0, installed: 0 }).status).toBe("no_data");
    expect(forecastWave({ ...base, waveStatus: "planned", startedAt: null, installed: 0, installedInWindow: 0 }).status).toBe("no_data");
  });

  it("a wave younger than the window is measured over the days it ran: 30 installs in 3 days = 10 a day", () => {
    const young = { ...base, startedAt: new Date("2004-08-17T12:00:00Z"), installed: 30, installedInWindow: 30 };
    // 160 to go at 10 a day = 16 days → 2004-09-05, after the 31st.
    expect(forecastWave(young)).toMatchObject({ ratePerDay: 10, expectedCompletion: "2004-09-05", status: "at_risk" });
  });

  it("a planned wave with a ramp: 190 at 20 a day = 10 days from its planned start 2004-08-25 → 2004-09-04", () => {
    const planned = { ...base, waveStatus: "planned", startedAt: null, installed: 0, installedInWindow: 0, maxDevicesPerDay: 20, plannedStartAt: new Date("2004-08-25T00:00:00Z") };
    expect(forecastWave(planned)).toMatchObject({ status: "at_risk", expectedCompletion: "2004-09-04", ratePerDay: 20 });
    expect(forecastWave({ ...planned, deadlineAt: new Date("2004-09-10T00:00:00Z") }).status).toBe("on_track");
  });

  it("without a deadline a wave with a rate is on track", () => {
    expect(forecastWave({ ...base, deadlineAt: null })).toMatchObject({ status: "on_track", expectedCompletion: "2004-08-29" });
  });
});
