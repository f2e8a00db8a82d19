import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareVersions,
  isValidVersionRange,
  normaliseVersionRange,
  parseVersion,
  parseVersionRange,
  versionInRange,
  VersionRangeError,
} from "./version-range";

describe("version ranges of affected apps", () => {
  it.each([
    ["1.2", "1.2", true],
    ["1.2", "1.2.0", true],
    ["1.2", "1.2.3456", true],
    ["1.2", "1.20", false],
    ["1.2", "1.3", false],
    ["1.2", "1", false],
    ["1.x", "1.0", true],
    ["1.x", "1.9.9", true],
    ["1.x", "2.0", false],
    ["1.2.*", "1.2.7", true],
    ["1.2.*", "1.3.0", false],
    [">=1.0 <1.3", "1.0", true],
    [">=1.0 <1.3", "1.2.9", true],
    [">=1.0 <1.3", "1.3", false],
    [">=1.0 <1.3", "1.3.0", false],
    [">=1.0 <1.3", "0.9", false],
    [">= 1.0 < 1.3", "1.1", true],
    ["any", "7", true],
    ["=1.2", "1.2.7", true],
    ["=1.2.0", "1.2", false],
    [">1.2", "1.2.0.1", true],
    ["<=1.2", "1.2.0", true],
    ["*", "anything at all", true],
    ["", "1.0", true],
    ["1.2", "v1.2", true],
    ["1.2", "1.2 SP1", true],
    ["1.2", "unknown", false],
    [">=1.0", "", false],
  ])("%s matches %s: %s", (range, version, expected) => {
    expect(versionInRange(range, version)).toBe(expected);
  });

  it.each(["<2 || >=3.1", ">=", "1..2", "latest", ">=1.0 <abc", "1.2.x.3", "<script>"])("refuses %s with a clear message", (range) => {
    expect(() => parseVersionRange(range)).toThrow(VersionRangeError);
    expect(isValidVersionRange(range)).toBe(false);
  });

  it("normalises spacing and treats an empty range as every version", () => {
    expect(normaliseVersionRange("  >=1.0   <1.3 ")).toBe(">=1.0 <1.3");
    expect(normaliseVersionRange("")).toBe("*");
  });

  it("compares versions numerically, missing parts as zero", () => {
    expect(compareVersions([1, 10], [1, 9])).toBe(1);
    expect(compareVersions([1, 2], [1, 2, 0, 0])).toBe(0);
    expect(parseVersion("5.1.2600")).toEqual([5, 1, 2600]);
    expect(parseVersion("n/a")).toBeNull();
  });

  const version = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 });
  const text = (v: number[]) => v.join(".");

  it("a comparison range agrees with comparing the versions (property)", () => {
    fc.assert(
      fc.property(version, version, fc.constantFrom(">=", "<=", ">", "<"), (bound, installed, op) => {
        const c = compareVersions(installed, bound);
        const expected = { ">=": c >= 0, "<=": c <= 0, ">": c > 0, "<": c < 0 }[op];
        expect(versionInRange(`${op}${text(bound)}`, text(installed))).toBe(expected);
      }),
    );
  });

  it("a two-sided range is the conjunction of its ends (property)", () => {
    fc.assert(
      fc.property(version, version, version, (low, high, installed) => {
        const both = versionInRange(`>=${text(low)} <${text(high)}`, text(installed));
        expect(both).toBe(versionInRange(`>=${text(low)}`, text(installed)) && versionInRange(`<${text(high)}`, text(installed)));
      }),
    );
  });

  it("a bare version matches itself and every longer version of that line (property)", () => {
    fc.assert(
      fc.property(version, fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 3 }), (line, tail) => {
        expect(versionInRange(text(line), text([...line, ...tail]))).toBe(true);
        expect(versionInRange(`${text(line)}.x`, text([...line, ...tail]))).toBe(true);
        const other = [...line];
        other[other.length - 1] += 1;
        expect(versionInRange(text(line), text(other))).toBe(false);
      }),
    );
  });
});
