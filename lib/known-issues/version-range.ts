// Version ranges of affected apps: "*", "1.2", "1.x", "1.2.*", ">=1.0 <1.3".
// Versions compare by their dotted numbers ("1.2.0.1234"); in comparisons missing parts count as 0.
// A bare "1.2" (or "=1.2") means that release line: 1.2, 1.2.0, 1.2.5 — but not 1.20, 1.3 or "1".
// The safeguard-hold code (lib/rollouts/version-range.ts) uses this parser too, so a device is held
// exactly when impact analysis counts it.

export type Version = number[];

export class VersionRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VersionRangeError";
  }
}

/** The dotted numbers at the start of a version string ("1.2.3 SP1" → [1,2,3]); null if there are none. */
export function parseVersion(value: string): Version | null {
  const match = /^\s*v?(\d{1,9}(?:\.\d{1,9})*)/i.exec(value);
  return match ? match[1].split(".").map(Number) : null;
}

export function compareVersions(a: Version, b: Version): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

type Operator = ">=" | "<=" | ">" | "<" | "=";
type Comparator = { op: Operator; version: Version };
/** Every comparator must hold. */
type Clause = { any: true } | { prefix: Version } | { comparators: Comparator[] };

export type VersionRange = { source: string; clause: Clause };

const STRICT_VERSION = /^\d{1,9}(?:\.\d{1,9})*$/;

function parseClause(source: string): Clause {
  const trimmed = source.trim();
  if (trimmed === "*" || trimmed.toLowerCase() === "x" || trimmed.toLowerCase() === "any" || trimmed === "") return { any: true };
  const wildcard = /^(\d{1,9}(?:\.\d{1,9})*)\.[x*]$/i.exec(trimmed);
  if (wildcard) return { prefix: wildcard[1].split(".").map(Number) };
  if (STRICT_VERSION.test(trimmed)) return { prefix: trimmed.split(".").map(Number) };

  const comparators: Comparator[] = [];
  // ">= 1.0" is read like ">=1.0".
  const tokens = trimmed.replace(/(>=|<=|>|<|=)\s+/g, "$1").split(/\s+/);
  for (const token of tokens) {
    const match = /^(>=|<=|>|<|=)(.+)$/.exec(token);
    if (!match || !STRICT_VERSION.test(match[2])) {
      throw new VersionRangeError(
        `"${source}" is not a version range: use "*", "1.2", "1.x" or comparisons such as ">=1.0 <1.3" (the part "${token}" is not understood).`,
      );
    }
    comparators.push({ op: match[1] as Operator, version: match[2].split(".").map(Number) });
  }
  // "=1.2" is the release line, like a bare "1.2".
  if (comparators.length === 1 && comparators[0].op === "=") return { prefix: comparators[0].version };
  return { comparators };
}

export function parseVersionRange(source: string): VersionRange {
  if (source.length > 200) throw new VersionRangeError("A version range has at most 200 characters.");
  return { source: normaliseVersionRange(source), clause: parseClause(source) };
}

export function normaliseVersionRange(source: string): string {
  const text = source.trim().replace(/\s+/g, " ");
  return text === "" ? "*" : text;
}

export function isValidVersionRange(source: string): boolean {
  try {
    parseVersionRange(source);
    return true;
  } catch {
    return false;
  }
}

function holds(comparator: Comparator, version: Version): boolean {
  const c = compareVersions(version, comparator.version);
  switch (comparator.op) {
    case ">=":
      return c >= 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case "<":
      return c < 0;
    case "=":
      return c === 0;
  }
}

function clauseMatches(clause: Clause, version: Version | null): boolean {
  if ("any" in clause) return true;
  if (!version) return false;
  if ("prefix" in clause) return clause.prefix.every((n, i) => version[i] === n);
  return clause.comparators.every((c) => holds(c, version));
}

/** Whether an installed version falls in the range; a version without numbers only matches "*". */
export function rangeMatches(range: VersionRange, installed: string): boolean {
  const version = parseVersion(installed);
  return clauseMatches(range.clause, version);
}

export function versionInRange(range: string, installed: string): boolean {
  return rangeMatches(parseVersionRange(range), installed);
}

export function rangeMatchesAll(range: VersionRange): boolean {
  return "any" in range.clause;
}
