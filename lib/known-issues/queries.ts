import "server-only";
// Reads of known issues: the list (filters in the URL), one issue with its links, history and
// helpdesk reports, and the issues that affect one device. Every function checks the actor first.
import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { getReadDb } from "@/lib/server/replica-reads";
import {
  builds,
  deployments,
  devices,
  helpdeskReports,
  knownIssueApps,
  knownIssueFixLinks,
  knownIssueHistory,
  knownIssues,
  updates,
  users,
} from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";
import { ACTIVE_STATUSES, RESOLVED_STATUSES, type KnownIssueStatus, type Severity } from "./lifecycle";
import type { DeviceKnownIssue, FixLink, KnownIssueDetail, KnownIssueList, KnownIssueListItem } from "./types";
import { KnownIssueFilters, type ParsedKnownIssueFilters } from "./validation";
import { parseVersionRange, rangeMatches } from "./version-range";

export const RECENTLY_RESOLVED_DAYS = 30;
const HISTORY_LIMIT = 500;
const REPORTS_LIMIT = 100;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const severityRank = sql`case ${knownIssues.severity} when 'critical' then 4 when 'high' then 3 when 'medium' then 2 else 1 end`;

export function parseKnownIssueFilters(input: Record<string, unknown>): ParsedKnownIssueFilters {
  const parsed = KnownIssueFilters.safeParse(input);
  if (!parsed.success) {
    throw new HttpError(400, "The filters are not valid.", {
      errors: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(query)", message: i.message })),
    });
  }
  return parsed.data;
}

function listConditions(filters: ParsedKnownIssueFilters): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  const recent = sql`now() - make_interval(days => ${RECENTLY_RESOLVED_DAYS})`;
  if (filters.view === "current") {
    conditions.push(or(inArray(knownIssues.status, [...ACTIVE_STATUSES]), sql`${knownIssues.resolvedAt} >= ${recent}`));
  } else if (filters.view === "history") {
    conditions.push(
      and(inArray(knownIssues.status, [...RESOLVED_STATUSES]), or(sql`${knownIssues.resolvedAt} is null`, lt(knownIssues.resolvedAt, recent))),
    );
  }
  if (filters.status?.length) conditions.push(inArray(knownIssues.status, filters.status));
  if (filters.severity?.length) conditions.push(inArray(knownIssues.severity, filters.severity));
  if (filters.update) conditions.push(eq(updates.slug, filters.update));
  if (filters.app) {
    const pattern = `%${escapeLike(filters.app)}%`;
    conditions.push(
      sql`exists (select 1 from ${knownIssueApps} kia where kia.known_issue_id = ${knownIssues.id} and kia.app_name ilike ${pattern})`,
    );
  }
  return and(...conditions);
}

/** The columns of a history entry (HistoryEntry), for the issue page and the feed alike. */
export const HISTORY_COLUMNS = {
  id: knownIssueHistory.id,
  at: knownIssueHistory.at,
  actor: knownIssueHistory.actorLabel,
  field: knownIssueHistory.field,
  from: knownIssueHistory.fromValue,
  to: knownIssueHistory.toValue,
  note: knownIssueHistory.note,
};

export async function listKnownIssues(actor: Actor | null, input: Record<string, unknown> = {}): Promise<KnownIssueList> {
  assertCan(actor, "known_issue.read");
  const filters = parseKnownIssueFilters(input);
  const db = await getReadDb(actor);
  const where = listConditions(filters);
  const offset = (filters.page - 1) * filters.pageSize;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: knownIssues.id,
        advisoryId: knownIssues.advisoryId,
        title: knownIssues.title,
        status: knownIssues.status,
        severity: knownIssues.severity,
        slug: updates.slug,
        updateTitle: updates.title,
        safeguardHold: knownIssues.safeguardHold,
        createdAt: knownIssues.createdAt,
        updatedAt: knownIssues.updatedAt,
        resolvedAt: knownIssues.resolvedAt,
        reportCount: sql<number>`(select count(*)::int from ${helpdeskReports} hr where hr.known_issue_id = ${knownIssues.id})`,
      })
      .from(knownIssues)
      .innerJoin(updates, eq(updates.id, knownIssues.updateId))
      .where(where)
      .orderBy(
        sql`case when ${knownIssues.status} in ('resolved', 'resolved_external') then 1 else 0 end`,
        desc(severityRank),
        desc(knownIssues.updatedAt),
        desc(knownIssues.id),
      )
      .limit(filters.pageSize + 1)
      .offset(offset),
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(knownIssues)
      .innerJoin(updates, eq(updates.id, knownIssues.updateId))
      .where(where),
  ]);
  const page = rows.slice(0, filters.pageSize);
  const appRows = page.length
    ? await db
        .select({ issueId: knownIssueApps.knownIssueId, name: knownIssueApps.appName, versionRange: knownIssueApps.versionRange })
        .from(knownIssueApps)
        .where(inArray(knownIssueApps.knownIssueId, page.map((r) => r.id)))
        .orderBy(asc(knownIssueApps.id))
    : [];
  const items: KnownIssueListItem[] = page.map((r) => ({
    advisoryId: r.advisoryId,
    title: r.title,
    status: r.status,
    severity: r.severity,
    update: { slug: r.slug, title: r.updateTitle },
    affectedApps: appRows.filter((a) => a.issueId === r.id).map((a) => ({ name: a.name, versionRange: a.versionRange })),
    safeguardHold: r.safeguardHold,
    reportCount: r.reportCount,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    resolvedAt: r.resolvedAt,
  }));
  return { items, total, page: filters.page, pageSize: filters.pageSize, hasMore: rows.length > filters.pageSize };
}

/** The id behind an advisory id ("RC-0001"), or null. */
export async function findKnownIssueId(db: Pick<Db, "select">, advisoryId: string): Promise<number | null> {
  const [row] = await db.select({ id: knownIssues.id }).from(knownIssues).where(eq(knownIssues.advisoryId, advisoryId.toUpperCase())).limit(1);
  return row?.id ?? null;
}

export async function loadFixLinks(db: Pick<Db, "select">, issueIds: number[]): Promise<(FixLink & { issueId: number })[]> {
  if (issueIds.length === 0) return [];
  return db
    .select({
      issueId: knownIssueFixLinks.knownIssueId,
      id: knownIssueFixLinks.id,
      vendor: knownIssueFixLinks.vendor,
      title: knownIssueFixLinks.title,
      url: knownIssueFixLinks.url,
      type: knownIssueFixLinks.type,
      publishedAt: knownIssueFixLinks.publishedAt,
    })
    .from(knownIssueFixLinks)
    .where(inArray(knownIssueFixLinks.knownIssueId, issueIds))
    .orderBy(asc(knownIssueFixLinks.publishedAt), asc(knownIssueFixLinks.id));
}

export async function getKnownIssue(actor: Actor | null, advisoryId: string): Promise<KnownIssueDetail | null> {
  assertCan(actor, "known_issue.read");
  const db = await getReadDb(actor);
  const [issue] = await db
    .select({
      issue: knownIssues,
      updateSlug: updates.slug,
      updateTitle: updates.title,
      updateKb: updates.kb,
      buildName: builds.name,
      buildVersion: builds.version,
    })
    .from(knownIssues)
    .innerJoin(updates, eq(updates.id, knownIssues.updateId))
    .leftJoin(builds, eq(builds.id, knownIssues.buildId))
    .where(eq(knownIssues.advisoryId, advisoryId.trim().toUpperCase()))
    .limit(1);
  if (!issue) return null;
  const id = issue.issue.id;
  const resolvingUpdateId = issue.issue.resolvingUpdateId;
  const [resolvingUpdate, appRows, links, history, reports, [{ reportTotal }], [{ held }]] = await Promise.all([
    resolvingUpdateId
      ? db.select({ slug: updates.slug, title: updates.title }).from(updates).where(eq(updates.id, resolvingUpdateId)).then((r) => r[0] ?? null)
      : Promise.resolve(null),
    db
      .select({ name: knownIssueApps.appName, versionRange: knownIssueApps.versionRange, appId: knownIssueApps.appId })
      .from(knownIssueApps)
      .where(eq(knownIssueApps.knownIssueId, id))
      .orderBy(asc(knownIssueApps.id)),
    loadFixLinks(db, [id]),
    db
      .select(HISTORY_COLUMNS)
      .from(knownIssueHistory)
      .where(eq(knownIssueHistory.knownIssueId, id))
      .orderBy(desc(knownIssueHistory.at), desc(knownIssueHistory.id))
      .limit(HISTORY_LIMIT),
    db
      .select({
        id: helpdeskReports.id,
        ticketRef: helpdeskReports.ticketRef,
        hostname: devices.hostname,
        note: helpdeskReports.note,
        reportedBy: sql<string | null>`coalesce(nullif(${users.name}, ''), ${users.email})`,
        createdAt: helpdeskReports.createdAt,
      })
      .from(helpdeskReports)
      .leftJoin(devices, eq(devices.id, helpdeskReports.deviceId))
      .leftJoin(users, eq(users.id, helpdeskReports.reportedBy))
      .where(eq(helpdeskReports.knownIssueId, id))
      .orderBy(desc(helpdeskReports.createdAt), desc(helpdeskReports.id))
      .limit(REPORTS_LIMIT),
    db.select({ reportTotal: sql<number>`count(*)::int` }).from(helpdeskReports).where(eq(helpdeskReports.knownIssueId, id)),
    db
      .select({ held: sql<number>`count(*)::int` })
      .from(deployments)
      .where(and(eq(deployments.heldByIssueId, id), eq(deployments.state, "held"))),
  ]);
  const row = issue.issue;
  return {
    id,
    advisoryId: row.advisoryId,
    title: row.title,
    status: row.status,
    severity: row.severity as Severity,
    update: { slug: issue.updateSlug, title: issue.updateTitle, kb: issue.updateKb },
    build: issue.buildName ? { name: issue.buildName, version: issue.buildVersion ?? "" } : null,
    originKb: row.originKb,
    resolvingUpdate,
    resolvingKb: row.resolvingKb,
    affectedPlatforms: row.affectedPlatforms,
    affectedApps: appRows.map((a) => ({ name: a.name, versionRange: a.versionRange, known: a.appId !== null })),
    symptoms: row.symptoms,
    workaround: row.workaround,
    resolution: row.resolution,
    safeguardHold: row.safeguardHold,
    safeguardHoldId: row.safeguardHoldId,
    heldDevices: held,
    blocking: row.blocking,
    fixLinks: links.map(({ issueId: _, ...link }) => link),
    history,
    reports: { total: reportTotal, items: reports },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    resolvedAt: row.resolvedAt,
  };
}

export async function requireKnownIssue(actor: Actor | null, advisoryId: string): Promise<KnownIssueDetail> {
  const issue = await getKnownIssue(actor, advisoryId);
  if (!issue) throw new HttpError(404, `There is no known issue ${advisoryId}.`);
  return issue;
}

type DeviceIssueRow = {
  issue_id: number;
  advisory_id: string;
  title: string;
  status: KnownIssueStatus;
  severity: Severity;
  workaround: string;
  slug: string;
  update_title: string;
  app_name: string;
  version: string;
  version_range: string;
  deployment_state: string | null;
  held_by_issue_id: number | null;
};

/**
 * "Known issues that affect this machine": its installed apps × the affected apps of known issues
 * (version ranges included), leaving out updates that do not apply to it (not applicable,
 * excluded). The device page (app/(dashboard)/devices/[hostname]) and the device API call this.
 */
export async function knownIssuesForDevice(actor: Actor | null, deviceId: number): Promise<DeviceKnownIssue[]> {
  assertCan(actor, "known_issue.read");
  const db = await getReadDb(actor);
  const candidates = await queryRows<DeviceIssueRow>(
    db,
    sql`select ki.id as issue_id, ki.advisory_id, ki.title, ki.status, ki.severity, ki.workaround,
               u.slug, u.title as update_title, kia.app_name, da.version, kia.version_range,
               dep.state as deployment_state, dep.held_by_issue_id
        from device_apps da
        join known_issue_apps kia on kia.app_id = da.app_id
        join known_issues ki on ki.id = kia.known_issue_id
        join updates u on u.id = ki.update_id
        left join deployments dep on dep.device_id = da.device_id and dep.update_id = ki.update_id
        where da.device_id = ${deviceId}
          and (dep.state is null or dep.state not in ('not_applicable', 'excluded'))
        order by ki.id, kia.id`,
  );
  const byIssue = new Map<number, DeviceKnownIssue>();
  for (const row of candidates) {
    let matches = false;
    try {
      matches = rangeMatches(parseVersionRange(row.version_range), row.version);
    } catch {
      matches = false;
    }
    if (!matches) continue;
    const entry =
      byIssue.get(row.issue_id) ??
      ({
        advisoryId: row.advisory_id,
        title: row.title,
        status: row.status,
        severity: row.severity,
        update: { slug: row.slug, title: row.update_title },
        matchedApps: [],
        deploymentState: row.deployment_state,
        heldByThisIssue: row.deployment_state === "held" && row.held_by_issue_id === row.issue_id,
        workaround: row.workaround,
        fixLinks: [],
        reportsForDevice: 0,
      } satisfies DeviceKnownIssue);
    entry.matchedApps.push({ name: row.app_name, version: row.version, versionRange: row.version_range });
    byIssue.set(row.issue_id, entry);
  }
  const ids = [...byIssue.keys()];
  if (ids.length) {
    const [links, reports] = await Promise.all([
      loadFixLinks(db, ids),
      db
        .select({ issueId: helpdeskReports.knownIssueId, n: sql<number>`count(*)::int` })
        .from(helpdeskReports)
        .where(and(eq(helpdeskReports.deviceId, deviceId), inArray(helpdeskReports.knownIssueId, ids)))
        .groupBy(helpdeskReports.knownIssueId),
    ]);
    for (const { issueId, ...link } of links) byIssue.get(issueId)!.fixLinks.push(link);
    for (const r of reports) byIssue.get(r.issueId)!.reportsForDevice = r.n;
  }
  const rank = { critical: 4, high: 3, medium: 2, low: 1 } as const;
  return [...byIssue.values()].sort(
    (a, b) =>
      Number(RESOLVED_STATUSES.includes(a.status)) - Number(RESOLVED_STATUSES.includes(b.status)) ||
      rank[b.severity] - rank[a.severity] ||
      a.advisoryId.localeCompare(b.advisoryId),
  );
}

/** The same, by hostname (case-insensitive); null when there is no such device. */
export async function knownIssuesForHostname(actor: Actor | null, hostname: string): Promise<DeviceKnownIssue[] | null> {
  assertCan(actor, "known_issue.read");
  const db = await getReadDb(actor);
  const [device] = await db
    .select({ id: devices.id })
    .from(devices)
    .where(sql`lower(${devices.hostname}) = lower(${hostname})`)
    .limit(1);
  return device ? knownIssuesForDevice(actor, device.id) : null;
}

/** Updates (slug, title) for the filter and create forms. */
export async function listUpdateChoices(actor: Actor | null): Promise<{ slug: string; title: string }[]> {
  assertCan(actor, "known_issue.read");
  const db = await getReadDb(actor);
  return db.select({ slug: updates.slug, title: updates.title }).from(updates).orderBy(asc(updates.title)).limit(500);
}
