import "server-only";
// Which devices an issue's affected apps cover, as a SQL condition. The version ranges are read
// by one matcher (version-range.ts): it picks the matching versions out of the few distinct
// versions the inventory has of each app, and SQL then filters device_apps by (app, version) —
// no scan of every device in JavaScript.
import { sql, type SQL } from "drizzle-orm";
import { txRows, type Tx } from "@/db/tx";
import { parseVersionRange, rangeMatches, rangeMatchesAll, type VersionRange } from "./version-range";

export type AffectedApp = { appId: number | null; appName: string; versionRange: string };

/** Per app: every version (`all`) or the installed versions that fall in one of the issue's ranges. */
export type AffectedVersions = { appId: number; versions: string[] | "all" }[];

export async function resolveAffectedVersions(tx: Tx, apps: AffectedApp[]): Promise<AffectedVersions> {
  if (apps.length === 0) return [];
  // Rows whose app was removed from the catalogue (app_id null) are matched by name, like the hold code does.
  const byName = apps.filter((a) => a.appId === null).map((a) => a.appName.toLowerCase());
  const named = byName.length
    ? await txRows<{ id: number; name: string }>(tx, sql`select id, lower(name) as name from apps where lower(name) = any(${sql.param(byName)}::text[])`)
    : [];
  const idOf = new Map(named.map((r) => [r.name, r.id]));
  const ranges = new Map<number, string[]>();
  for (const app of apps) {
    const id = app.appId ?? idOf.get(app.appName.toLowerCase());
    if (id === undefined) continue;
    ranges.set(id, [...(ranges.get(id) ?? []), app.versionRange]);
  }
  if (ranges.size === 0) return [];

  const result: AffectedVersions = [];
  const needVersions: number[] = [];
  const parsedRanges = new Map<number, VersionRange[]>();
  for (const [appId, list] of ranges) {
    // A range stored by older code that no longer parses matches nothing (never a false alarm).
    const parsed = list.flatMap((r) => {
      try {
        return [parseVersionRange(r)];
      } catch {
        return [];
      }
    });
    parsedRanges.set(appId, parsed);
    if (parsed.some(rangeMatchesAll)) result.push({ appId, versions: "all" });
    else if (parsed.length) needVersions.push(appId);
  }
  if (needVersions.length) {
    const installed = await txRows<{ app_id: number; version: string }>(
      tx,
      sql`select app_id, version from device_apps where app_id = any(${sql.param(needVersions)}::int[]) group by app_id, version`,
    );
    for (const appId of needVersions) {
      const parsed = parsedRanges.get(appId)!;
      const versions = installed.filter((r) => r.app_id === appId && parsed.some((p) => rangeMatches(p, r.version))).map((r) => r.version);
      if (versions.length) result.push({ appId, versions });
    }
  }
  return result;
}

/** `exists (…)`: the device in `deviceId` has an affected app version. `false` when nothing matches. */
export function affectedDeviceCondition(deviceId: SQL, affected: AffectedVersions): SQL {
  if (affected.length === 0) return sql`false`;
  const alternatives = affected.map((a) =>
    a.versions === "all"
      ? sql`da.app_id = ${a.appId}`
      : sql`(da.app_id = ${a.appId} and da.version = any(${sql.param(a.versions)}::text[]))`,
  );
  return sql`exists (select 1 from device_apps da where da.device_id = ${deviceId} and (${sql.join(alternatives, sql` or `)}))`;
}

/** The affected apps of one issue, straight from its rows. */
export async function loadAffectedApps(tx: Tx, knownIssueId: number): Promise<AffectedApp[]> {
  return txRows<AffectedApp>(
    tx,
    sql`select app_id as "appId", app_name as "appName", version_range as "versionRange"
        from known_issue_apps where known_issue_id = ${knownIssueId} order by id`,
  );
}
