// Does an installed app version fall in a known issue's affected range? Ranges are written the way
// vendors publish them: "*" (any), "1.2" (1.2 and every 1.2.x build), "1.2.*", or comparators
// joined by spaces (all must hold), e.g. ">=1.0 <1.3". Versions compare segment by segment,
// numerically where both segments are numbers ("1.10" > "1.9").

function segments(version: string): string[] {
  return version.trim().toLowerCase().split(/[.\-_+]/).filter((s) => s.length > 0);
}

export function compareVersions(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? "0";
    const q = y[i] ?? "0";
    const np = /^\d+$/.test(p) ? Number(p) : NaN;
    const nq = /^\d+$/.test(q) ? Number(q) : NaN;
    const diff = !Number.isNaN(np) && !Number.isNaN(nq) ? np - nq : p < q ? -1 : p > q ? 1 : 0;
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return 0;
}

function prefixMatches(version: string, prefix: string): boolean {
  const want = segments(prefix.replace(/(\.(\*|x))+$/i, ""));
  const have = segments(version);
  if (want.length === 0) return true;
  return want.every((segment, i) => have[i] !== undefined && compareVersions(have[i], segment) === 0);
}

/** True when `version` is in `range`; an unparseable range matches nothing (never a false hold). */
export function versionInRange(version: string, range: string): boolean {
  const text = range.trim();
  if (text === "" || text === "*" || text.toLowerCase() === "any") return true;
  const parts = text.split(/\s+/);
  return parts.every((part) => {
    const m = /^(>=|<=|>|<|==|=)?\s*(.+)$/.exec(part);
    if (!m) return false;
    const [, op, bound] = m;
    if (!op || op === "=" || op === "==") return prefixMatches(version, bound);
    if (version.trim() === "") return false;
    const c = compareVersions(version, bound);
    if (op === ">=") return c >= 0;
    if (op === ">") return c > 0;
    if (op === "<=") return c <= 0;
    return c < 0;
  });
}
