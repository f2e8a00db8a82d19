// The readiness matrix's rules without a database (issue #17): what a cell's status means, how app
// versions are grouped into rows, and which status a machine's app has on a build. Pages, the API
// and the per-wave counts share these, so a count and the matrix never disagree.
import { z } from "zod";
import { READINESS_STATUSES, type ReadinessStatus } from "@/db/enums";
import { parseVersion, parseVersionRange, VersionRangeError, rangeMatches, type VersionRange } from "@/lib/known-issues/version-range";

export { READINESS_STATUSES, type ReadinessStatus };

/** Worst last: a machine counts under the worst cell of the apps it carries. An unknown result (untested) is worse than a known workaround. */
export const READINESS_RANK: Record<ReadinessStatus, number> = { works: 1, works_with_workaround: 2, untested: 3, broken: 4 };
const BY_RANK = Object.fromEntries(Object.entries(READINESS_RANK).map(([status, rank]) => [rank, status])) as Record<number, ReadinessStatus>;

export const READINESS_LABELS: Record<ReadinessStatus, string> = {
  untested: "untested",
  works: "works",
  works_with_workaround: "works with workaround",
  broken: "broken",
};

export function statusOfRank(rank: number): ReadinessStatus {
  return BY_RANK[rank] ?? "untested";
}

/** The version range a cell is stored with: "" is every version ("*", "any" and "x" say the same). */
export function normaliseCellRange(range: string): string {
  const text = range.trim().replace(/\s+/g, " ");
  return text === "*" || /^(any|x)$/i.test(text) ? "" : text;
}

export function isValidCellRange(range: string): boolean {
  try {
    parseVersionRange(range);
    return true;
  } catch (error) {
    if (error instanceof VersionRangeError) return false;
    throw error;
  }
}

/** The row a found version falls in: its release line (major.minor, e.g. "1.2" for 1.2.0.5); every version when it has no numbers. */
export function versionGroup(version: string): string {
  const numbers = parseVersion(version);
  return numbers ? numbers.slice(0, 2).join(".") : "";
}

export function describeRange(range: string): string {
  return range === "" ? "every version" : range;
}

/** A cell as the rules need it: its app and range, the build it is about, its current status. */
export type CellStatus = { appId: number; versionRange: string; buildId: number; status: ReadinessStatus };

/** Parsed cells of one update, by app and build, to answer many (app, version, build) questions. */
export class CellIndex {
  private readonly byAppBuild = new Map<string, { range: VersionRange; status: ReadinessStatus }[]>();

  constructor(cells: readonly CellStatus[]) {
    for (const cell of cells) {
      const key = `${cell.appId}:${cell.buildId}`;
      const list = this.byAppBuild.get(key) ?? [];
      list.push({ range: parseVersionRange(cell.versionRange), status: cell.status });
      this.byAppBuild.set(key, list);
    }
  }

  /** The status of an app's version on a build: the worst recorded cell whose range holds it; untested when none does. */
  statusOf(appId: number, version: string, buildId: number): ReadinessStatus {
    const matching = (this.byAppBuild.get(`${appId}:${buildId}`) ?? []).filter((c) => rangeMatches(c.range, version));
    if (matching.length === 0) return "untested";
    return statusOfRank(Math.max(...matching.map((c) => READINESS_RANK[c.status])));
  }
}

/** The worst status of a machine's apps (null: it carries none). */
export function worstOf(statuses: readonly ReadinessStatus[]): ReadinessStatus | null {
  return statuses.length ? statusOfRank(Math.max(...statuses.map((s) => READINESS_RANK[s]))) : null;
}

/** One wave's machines by the worst cell of the apps they carry on the wave's build. */
export type WaveReadiness = {
  waveId: number;
  build: string | null;
  machines: number;
  broken: number;
  untested: number;
  worksWithWorkaround: number;
  works: number;
  /** Machines that carry no business app: nothing to test. */
  noApps: number;
  /** Machines carrying at least one untested app (whatever their worst cell): what the readiness rule counts. */
  withUntestedApps: number;
  withUntestedAppsPct: number | null;
  /** The wave's readiness rule (at most this % with untested apps), null when it has none. */
  maxUntestedPct: number | null;
  /** True when the rule keeps the wave from starting (without a written override). */
  ruleBreached: boolean;
};

export function untestedPct(withUntestedApps: number, machines: number): number | null {
  return machines > 0 ? Math.round((withUntestedApps / machines) * 1000) / 10 : null;
}

/** The matrix's query (GET /api/v1/updates/{slug}/readiness and the update page): which page of rows. */
export const MatrixQuery = z.object({
  page: z.coerce.number({ message: "page must be a whole number from 1." }).int("page must be a whole number from 1.").min(1, "page must be a whole number from 1.").max(100_000).optional(),
  pageSize: z.coerce.number({ message: "pageSize must be 1–100." }).int("pageSize must be 1–100.").min(1, "pageSize must be 1–100.").max(100, "pageSize must be 1–100.").optional(),
});
