// CSV cells for exports (RFC 4180) that are safe to open in a spreadsheet: a cell that starts
// with = + - @ (or a tab / carriage return) is prefixed with a single quote so it is never run
// as a formula (OWASP "CSV injection"). Spreadsheets with East Asian input read the full-width
// ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20) as the same operators, so they are defused too (issue #14).
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
