import { describe, expect, it } from "vitest";
import { versionInRange } from "./version-range";

describe("the safeguard-hold matcher", () => {
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
    ["1.10", ">1.9", true],
  ])("%s in %s → %s", (version, range, expected) => {
    expect(versionInRange(version, range)).toBe(expected);
  });

  it("holds nothing on a range it cannot read, instead of throwing", () => {
    expect(versionInRange("1.2", "between one and two")).toBe(false);
    expect(versionInRange("1.2", ">=1.0 <")).toBe(false);
  });
});
