import { describe, expect, it } from "vitest";
import { compareVersions, versionInRange } from "./version-range";

describe("version ranges of affected apps", () => {
  it("compares numerically by segment", () => {
    expect(compareVersions("1.10", "1.9")).toBe(1);
    expect(compareVersions("1.2", "1.2.0")).toBe(0);
    expect(compareVersions("1.2.3", "1.3")).toBe(-1);
  });
  it.each([
    ["1.2", "*", true],
    ["", "*", true],
    ["1.2", "1.2", true],
    ["1.2.1045", "1.2", true],
    ["1.3", "1.2", false],
    ["1.21", "1.2", false],
    ["1.2.5", "1.2.*", true],
    ["1.2", ">=1.0 <1.3", true],
    ["1.3", ">=1.0 <1.3", false],
    ["0.9", ">=1.0 <1.3", false],
    ["", ">=1.0", false],
    ["2.0", "<=2.0", true],
  ])("%s in %s → %s", (version, range, expected) => {
    expect(versionInRange(version, range)).toBe(expected);
  });
});
