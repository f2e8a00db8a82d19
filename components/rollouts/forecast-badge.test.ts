import { describe, expect, it } from "vitest";
import { forecastSentence } from "./forecast-badge";

describe("forecastSentence", () => {
  it("states the rate with at most one decimal and thousands separators", () => {
    const sentence = forecastSentence({ status: "on_track", expectedCompletion: "2026-12-20", ratePerDay: 1234.56, targetDevices: 5000, remaining: 2345 }, "2026-12-31", 95);
    expect(sentence).toBe("Expected to reach 95 % on 2026-12-20 at 1,234.6 machines a day (2,345 to go); deadline 2026-12-31.");
  });

  it("leaves the rate out when there is none", () => {
    expect(forecastSentence({ status: "at_risk", expectedCompletion: "2027-01-02", ratePerDay: null, targetDevices: 10, remaining: 3 }, null, 90)).toBe(
      "Expected to reach 90 % on 2027-01-02 (3 to go).",
    );
  });
});
