import "server-only";
// Impact analysis: per wave of an update's rollouts, how many devices have an affected app version
// and would hit the issue — known before the wave starts, because planning writes a deployment
// (pending or held) for every targeted device. Counts and hostname pages are SQL (GROUP BY and
// keyset pagination), never the whole inventory in memory.
import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";
import type { KnownIssueStatus, Severity } from "./lifecycle";
import { countsByWave, readRolloutCounts, readRolloutRow, readRolloutWaves } from "@/lib/rollouts/shared-reads";
import { affectedDeviceCondition, loadAffectedApps, resolveAffectedVersions } from "./matching";
import type { ImpactDevice, IssueImpact, RolloutImpact, WaveImpact } from "./types";

type IssueRow = { id: number; advisory_id: string; title: string; status: KnownIssueStatus; severity: Severity; update_id: number; safeguard_hold: boolean; blocking?: boolean };
type WaveRow = { wave_id: number; rollout_id: number; position: number; name: string; status: string; planned_start_at: Date | null; devices: number };

async function loadIssue(advisoryId: string): Promise<IssueRow> {
  const db = await getDb();
  const [issue] = await queryRows<IssueRow>(
    db,
    sql`select id, advisory_id, title, status, severity, update_id, safeguard_hold from known_issues where advisory_id = ${advisoryId.trim().toUpperCase()}`,
  );
  if (!issue) throw new HttpError(404, `There is no known issue ${advisoryId}.`);
  return issue;
}

/** Waves of the rollouts (not cancelled) of one update, with their device counts from the summary table. */
async function wavesOf(where: ReturnType<typeof sql>): Promise<WaveRow[]> {
  const db = await getDb();
  return queryRows<WaveRow>(
    db,
    sql`select w.id as wave_id, w.rollout_id, w.position, w.name, w.status, w.planned_start_at,
               coalesce((select sum(c.count) from deployment_counts c where c.rollout_id = w.rollout_id and c.wave_id = w.id), 0)::int as devices
        from waves w join rollouts r on r.id = w.rollout_id
        where ${where}
        order by r.id, w.position`,
  );
}

/** Devices with an affected app in each wave (and held by this issue), one GROUP BY. */
async function affectedPerWave(issue: { id: number; update_id: number }, rolloutIds: number[]) {
  const db = await getDb();
  const affected = await resolveAffectedVersions(db, await loadAffectedApps(db, issue.id));
  if (affected.length === 0 || rolloutIds.length === 0) return { perWave: new Map<number, { affected: number; held: number }>(), unassigned: new Map<number, number>(), affected };
  const rows = await queryRows<{ rollout_id: number; wave_id: number | null; affected: number; held: number }>(
    db,
    sql`select dep.rollout_id, dep.wave_id, count(*)::int as affected,
               count(*) filter (where dep.state = 'held' and dep.held_by_issue_id = ${issue.id})::int as held
        from deployments dep
        where dep.update_id = ${issue.update_id}
          and dep.rollout_id = any(${sql.param(rolloutIds)}::int[])
          and dep.state not in ('not_applicable', 'excluded')
          and ${affectedDeviceCondition(sql`dep.device_id`, affected)}
        group by dep.rollout_id, dep.wave_id`,
  );
  const perWave = new Map<number, { affected: number; held: number }>();
  const unassigned = new Map<number, number>();
  for (const row of rows) {
    if (row.wave_id === null) unassigned.set(row.rollout_id, (unassigned.get(row.rollout_id) ?? 0) + row.affected);
    else perWave.set(row.wave_id, { affected: row.affected, held: row.held });
  }
  return { perWave, unassigned, affected };
}

export async function impactForIssue(actor: Actor | null, advisoryId: string): Promise<IssueImpact> {
  assertCan(actor, "known_issue.read");
  const issue = await loadIssue(advisoryId);
  const db = await getDb();
  const rolloutRows = await queryRows<{ id: number; name: string; status: string }>(
    db,
    sql`select id, name, status from rollouts where update_id = ${issue.update_id} and status <> 'cancelled' order by id`,
  );
  const waveRows = await wavesOf(sql`r.update_id = ${issue.update_id} and r.status <> 'cancelled'`);
  const { perWave, unassigned, affected } = await affectedPerWave(issue, rolloutRows.map((r) => r.id));
  const [{ n: inventoryAffected }] = affected.length
    ? await queryRows<{ n: number }>(db, sql`select count(*)::int as n from devices v where ${affectedDeviceCondition(sql`v.id`, affected)}`)
    : [{ n: 0 }];
  return {
    advisoryId: issue.advisory_id,
    title: issue.title,
    status: issue.status,
    inventoryAffected,
    rollouts: rolloutRows.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      unassigned: unassigned.get(r.id) ?? 0,
      waves: waveRows
        .filter((w) => w.rollout_id === r.id)
        .map(
          (w): WaveImpact => ({
            waveId: w.wave_id,
            position: w.position,
            name: w.name,
            status: w.status,
            plannedStartAt: w.planned_start_at ? new Date(w.planned_start_at) : null,
            devices: w.devices,
            affected: perWave.get(w.wave_id)?.affected ?? 0,
            held: perWave.get(w.wave_id)?.held ?? 0,
          }),
        ),
    })),
  };
}

/** For the rollout page: every known issue of the rollout's update × every wave. */
export async function impactForRollout(actor: Actor | null, rolloutId: number): Promise<RolloutImpact> {
  assertCan(actor, "known_issue.read");
  const db = await getDb();
  // The rollout, its waves and their device counts are the rollout page's shared reads.
  const [rollout, waveList, counts, issues] = await Promise.all([
    readRolloutRow(actor, rolloutId),
    readRolloutWaves(actor, rolloutId),
    readRolloutCounts(actor, rolloutId),
    queryRows<IssueRow>(
      db,
      sql`select id, advisory_id, title, status, severity, update_id, safeguard_hold, blocking from known_issues
          where update_id = (select update_id from rollouts where id = ${rolloutId})
            and exists (select 1 from known_issue_apps kia where kia.known_issue_id = known_issues.id)
          order by id`,
    ),
  ]);
  if (!rollout) throw new HttpError(404, `There is no rollout ${rolloutId}.`);
  const byWave = countsByWave(counts);
  const results = await Promise.all(issues.map((issue) => affectedPerWave(issue, [rolloutId])));
  return {
    rolloutId,
    issues: issues.map((i) => ({ advisoryId: i.advisory_id, title: i.title, status: i.status, severity: i.severity, safeguardHold: i.safeguard_hold, blocking: i.blocking === true })),
    waves: waveList.map((w) => ({
      waveId: w.id,
      position: w.position,
      name: w.name,
      status: w.status,
      plannedStartAt: w.plannedStartAt,
      devices: Object.values(byWave.get(w.id) ?? {}).reduce((n, c) => n + c, 0),
      byIssue: Object.fromEntries(issues.map((issue, i) => [issue.advisory_id, results[i].perWave.get(w.id) ?? { affected: 0, held: 0 }])),
    })),
  };
}

/** A cursor is the last hostname of the previous page (lower-cased), base64url-encoded. */
export function encodeCursor(hostname: string): string {
  return Buffer.from(hostname.toLowerCase(), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const value = Buffer.from(cursor, "base64url").toString("utf8");
  if (!value || value.length > 255) throw new HttpError(400, "The cursor is not valid; start again from the first page.");
  return value;
}

/** The affected hostnames of one wave, in hostname order (byte order: the same on every database), `limit` (≤ 100) at a time. */
export async function impactDevices(
  actor: Actor | null,
  advisoryId: string,
  options: { waveId: number; cursor?: string; limit?: number },
): Promise<{ items: ImpactDevice[]; nextCursor: string | null }> {
  assertCan(actor, "known_issue.read");
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 100);
  const after = decodeCursor(options.cursor);
  const issue = await loadIssue(advisoryId);
  const db = await getDb();
  const affected = await resolveAffectedVersions(db, await loadAffectedApps(db, issue.id));
  if (affected.length === 0) return { items: [], nextCursor: null };
  const appList = affected.map((a) =>
    a.versions === "all" ? sql`da.app_id = ${a.appId}` : sql`(da.app_id = ${a.appId} and da.version = any(${sql.param(a.versions)}::text[]))`,
  );
  const rows = await queryRows<{ hostname: string; site: string; state: string; apps: string }>(
    db,
    sql`select v.hostname, s.name as site, dep.state,
               (select string_agg(a.name || ' ' || da.version, ', ' order by a.name)
                  from device_apps da join apps a on a.id = da.app_id
                  where da.device_id = v.id and (${sql.join(appList, sql` or `)})) as apps
        from deployments dep
        join devices v on v.id = dep.device_id
        join sites s on s.id = v.site_id
        where dep.wave_id = ${options.waveId} and dep.update_id = ${issue.update_id}
          and dep.state not in ('not_applicable', 'excluded')
          and ${affectedDeviceCondition(sql`dep.device_id`, affected)}
          ${after === null ? sql`` : sql`and lower(v.hostname) collate "C" > ${after}`}
        order by lower(v.hostname) collate "C"
        limit ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ hostname: r.hostname, site: r.site, state: r.state, apps: r.apps ?? "" })),
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].hostname) : null,
  };
}
