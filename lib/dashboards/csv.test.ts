import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("csv cells", () => {
  it("round-trips any text through a CSV parser, formulas prefixed with a quote", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom("=1+1", "+A1", "-2", "@SUM(A1)", "\tx", "a,b", 'say "hi"', "line\r\nbreak", " padded ")), { minLength: 1, maxLength: 6 }), (cells) => {
        const [row] = parse(csvLine(cells), { relax_column_count: true }) as string[][];
        expect(row).toEqual(cells.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)));
      }),
    );
  });

  it("leaves plain values alone and writes null as an empty cell", () => {
    expect(csvCell("WS-0001")).toBe("WS-0001");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(null)).toBe("");
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvCell("a,b")).toBe('"a,b"');
  });
});
