import { describe, expect, it } from "vitest";
import { formatBytes, formatDate, formatDateTime, formatDuration, formatNumber, formatPercent } from "./format";

describe("formatting", () => {
  it("states sizes in decimal units as vendors do", () => {
    expect(formatBytes(300_000_000)).toBe("300 MB");
    expect(formatBytes(3_712_000_000)).toBe("3.7 GB");
    expect(formatBytes(512)).toBe("512 B");
  });
  it("states durations in the largest unit that reads well", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(600)).toBe("10 min");
    expect(formatDuration(5 * 3600)).toBe("5.0 h");
    expect(formatDuration(3 * 86400)).toBe("3.0 days");
  });
  it("writes numbers with thousands separators and percentages with one decimal", () => {
    expect(formatNumber(100000)).toBe("100,000");
    expect(formatPercent(33.44)).toBe("33.4 %");
    expect(formatPercent(null)).toBe("—");
  });
  it("writes dates in UTC from a Date or an ISO string, with one dash for none", () => {
    const d = new Date("2004-08-06T09:30:00Z");
    expect(formatDate(d)).toBe("2004-08-06");
    expect(formatDateTime(d.toISOString())).toBe("2004-08-06 09:30 UTC");
    expect(formatDate(null)).toBe("—");
    expect(formatDateTime(undefined, "never")).toBe("never");
  });
});
