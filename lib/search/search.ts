import "server-only";
// The one box: one query per kind of thing, each bounded (LIMIT per group) and ranked by a score
// in [0, 1] computed in SQL, then the groups ordered by their best hit. Hostnames go through the
// indexes on lower(hostname) (byte-order prefix, pg_trgm substring and typos; see devices.ts),
// app names and issue titles through pg_trgm, issue words through the expression index on
// to_tsvector('english', title || ' ' || symptoms) — the same expression here, or the planner
// cannot use it. PGlite ships pg_trgm, so both databases give the same answers.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { getReadDb } from "@/lib/server/replica-reads";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { RESOLVED_STATUSES, STATUS_LABELS, type KnownIssueStatus } from "@/lib/known-issues/lifecycle";
import { findDevices } from "./devices";
import { ERROR_CODE_MEANINGS } from "./error-codes";
import { parseSearchQuery, type ParsedQuery } from "./query";

export const GROUP_LIMIT = 10;

export const SEARCH_KINDS = ["device", "known_issue", "app", "error_code", "update"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const KIND_LABELS: Record<SearchKind, string> = {
  device: "Devices",
  known_issue: "Known issues",
  app: "Apps",
  error_code: "Error codes",
  update: "Updates and KB numbers",
};

export type SearchItem = {
  kind: SearchKind;
  /** Stable identity within the kind (hostname, advisory id, app name, code, slug). */
  key: string;
  title: string;
  subtitle: string;
  href: string;
  score: number;
  /** Extra links shown under the item (e.g. machines that report an error code). */
  links?: { label: string; href: string }[];
};

export type SearchGroup = { kind: SearchKind; label: string; items: SearchItem[]; more: boolean };
export type SearchResults = { query: string; groups: SearchGroup[]; total: number };

const round = (n: number) => Math.round(n * 10_000) / 10_000;

async function searchDevices(db: Db, q: ParsedQuery): Promise<SearchItem[]> {
  const hits = await findDevices(db, q, GROUP_LIMIT + 1);
  return hits.map((h) => ({
    kind: "device",
    key: h.hostname,
    title: h.hostname,
    subtitle: h.subtitle,
    href: `/devices/${encodeURIComponent(h.hostname)}`,
    score: round(h.score),
  }));
}

type AppRow = { name: string; vendor: string; score: number; devices: number; issues: number };

/** Counting every install of a common app (Office on 85 % of 100,000 machines) costs more than the whole search. */
const APP_COUNT_CAP = 1_000;

function installs(n: number): string {
  return n >= APP_COUNT_CAP ? `installed on ${APP_COUNT_CAP.toLocaleString("en")}+ devices` : `installed on ${n} device${n === 1 ? "" : "s"}`;
}

async function searchApps(db: Db, q: ParsedQuery): Promise<SearchItem[]> {
  const rows = await queryRows<AppRow>(
    db,
    sql`select m.name, m.vendor, m.score,
               (select count(*)::int from (select 1 from device_apps da where da.app_id = m.id order by da.app_id, da.version limit ${APP_COUNT_CAP}) c) as devices,
               (select count(*)::int from known_issue_apps kia where kia.app_id = m.id) as issues
        from (
          select a.id, a.name, a.vendor,
                 (case when lower(a.name) = ${q.lower} then 0.95
                       when lower(a.name) like ${q.prefix} then 0.85
                       when lower(a.name) like ${q.contains} then 0.7
                       else greatest(similarity(lower(a.name), ${q.lower}), word_similarity(${q.lower}, lower(a.name))) * 0.65 end)::float8 as score
          from apps a
          where lower(a.name) like ${q.contains} or lower(a.name) % ${q.lower} or ${q.lower} <% lower(a.name)
          order by score desc, lower(a.name) collate "C"
          limit ${GROUP_LIMIT + 1}
        ) m
        order by m.score desc, lower(m.name) collate "C"`,
  );
  return rows.map((r) => ({
    kind: "app",
    key: r.name,
    title: r.name,
    subtitle: [r.vendor, installs(r.devices), r.issues ? `${r.issues} known issue${r.issues === 1 ? "" : "s"}` : null]
      .filter(Boolean)
      .join(" · "),
    href: `/known-issues?view=all&app=${encodeURIComponent(r.name)}`,
    score: round(Number(r.score)),
  }));
}

type ErrorRow = { slug: string; title: string; devices: number };

const EVENT_COUNT_CAP = 10_000;

async function searchErrorCodes(db: Db, q: ParsedQuery): Promise<SearchItem[]> {
  if (!q.errorCode) return [];
  const codes = sql.param(q.errorCode.variants);
  // One statement, one pass over the deployments that report the code (a few thousand rows spread
  // over as many pages at 100,000 devices): the count per update and a few machines per update,
  // picked by device id (never by walking hostnames). MATERIALIZED keeps the planner on the
  // error-code index instead of walking deployments by device.
  const [row] = await queryRows<{ per_update: ErrorRow[] | null; events: number; hosts: { hostname: string; slug: string }[] | null }>(
    db,
    sql`with hits as materialized (select device_id, update_id from deployments where error_code = any(${codes}::text[]))
        select
          (select json_agg(p order by p.devices desc, p.slug collate "C") from (
             select u.slug, u.title, count(*)::int as devices
             from hits join updates u on u.id = hits.update_id
             group by u.slug, u.title
             order by devices desc, u.slug collate "C"
             limit ${GROUP_LIMIT + 1}) p) as per_update,
          (select count(*)::int from (select 1 from status_events where error_code = any(${codes}::text[]) limit ${EVENT_COUNT_CAP}) e) as events,
          (select json_agg(h order by lower(h.hostname) collate "C") from (
             select v.hostname, u.slug
             from (select device_id, update_id from hits order by device_id limit 50) dep
             join devices v on v.id = dep.device_id join updates u on u.id = dep.update_id) h) as hosts`,
  );
  const perUpdate = row.per_update ?? [];
  const events = Number(row.events);
  const hosts = row.hosts ?? [];
  const code = q.errorCode.canonical;
  const meaning = ERROR_CODE_MEANINGS[code];
  if (perUpdate.length === 0 && events === 0 && !meaning) return [];
  if (perUpdate.length === 0) {
    return [
      {
        kind: "error_code",
        key: code,
        title: code,
        subtitle: [meaning, events ? `${events} past report${events === 1 ? "" : "s"}, no device reports it now` : "No device reports it."].filter(Boolean).join(" "),
        href: `/search?q=${encodeURIComponent(code)}`,
        score: events ? 0.8 : 0.5,
      },
    ];
  }
  return perUpdate.map((r) => ({
    kind: "error_code",
    key: `${code} ${r.slug}`,
    title: `${code} · ${r.title}`,
    subtitle: [meaning, `${r.devices} device${r.devices === 1 ? "" : "s"} report it now; ${events >= EVENT_COUNT_CAP ? `${EVENT_COUNT_CAP.toLocaleString("en")}+` : events} report${events === 1 ? "" : "s"} in the history.`]
      .filter(Boolean)
      .join(" "),
    href: `/updates/${encodeURIComponent(r.slug)}`,
    score: 1,
    links: hosts
      .filter((h) => h.slug === r.slug)
      .slice(0, 5)
      .map((h) => ({ label: h.hostname, href: `/devices/${encodeURIComponent(h.hostname)}` })),
  }));
}

type UpdateRow = { slug: string; title: string; kb: string | null; vendor: string; score: number };

async function searchUpdates(db: Db, q: ParsedQuery): Promise<SearchItem[]> {
  const kbs = q.kb ? q.kb.variants : [];
  const rows = await queryRows<UpdateRow>(
    db,
    sql`select u.slug, u.title, u.kb, u.vendor,
               (case when u.kb = any(${sql.param(kbs)}::text[]) then 1.0
                     when lower(u.slug) = ${q.lower} then 0.95
                     when lower(u.title) like ${q.prefix} or lower(u.slug) like ${q.prefix} then 0.7
                     else 0.6 end)::float8 as score
        from updates u
        where u.kb = any(${sql.param(kbs)}::text[]) or lower(u.slug) like ${q.contains} or lower(u.title) like ${q.contains}
        order by score desc, u.slug collate "C"
        limit ${GROUP_LIMIT + 1}`,
  );
  return rows.map((r) => ({
    kind: "update",
    key: r.slug,
    title: r.kb ? `${r.kb} · ${r.title}` : r.title,
    subtitle: r.vendor,
    href: `/updates/${encodeURIComponent(r.slug)}`,
    score: round(Number(r.score)),
  }));
}

type IssueRow = { advisory_id: string; title: string; status: KnownIssueStatus; severity: string; slug: string; origin_kb: string | null; resolving_kb: string | null; score: number };

async function searchKnownIssues(db: Db, q: ParsedQuery): Promise<SearchItem[]> {
  const kbs = q.kb ? q.kb.variants : [];
  const code = q.errorCode ? `%${q.errorCode.canonical.toLowerCase()}%` : null;
  // The document expression must stay identical to known_issues_fts_idx in db/schema/known-issues.ts.
  const document = sql`to_tsvector('english', ki.title || ' ' || ki.symptoms)`;
  const tsQuery = q.tsQuery ? sql`to_tsquery('english', ${q.tsQuery})` : null;
  const rows = await queryRows<IssueRow>(
    db,
    sql`select ki.advisory_id, ki.title, ki.status, ki.severity, u.slug, ki.origin_kb, ki.resolving_kb,
               greatest(
                 case when ki.advisory_id = ${q.advisoryId ?? ""} then 1.0 else 0 end,
                 case when ki.origin_kb = any(${sql.param(kbs)}::text[]) or ki.resolving_kb = any(${sql.param(kbs)}::text[]) then 0.9 else 0 end,
                 ${code === null ? sql`0` : sql`case when lower(ki.title || ' ' || ki.symptoms || ' ' || ki.workaround) like ${code} then 0.85 else 0 end`},
                 ${tsQuery === null ? sql`0` : sql`case when ${document} @@ ${tsQuery} then 0.55 + least(ts_rank(${document}, ${tsQuery}), 0.1) * 3 else 0 end`},
                 case when lower(ki.title) like ${q.contains} then 0.7 else 0 end,
                 similarity(lower(ki.title), ${q.lower}) * 0.6
               )::float8 as score
        from known_issues ki join updates u on u.id = ki.update_id
        where ki.advisory_id = ${q.advisoryId ?? ""}
           or ki.origin_kb = any(${sql.param(kbs)}::text[]) or ki.resolving_kb = any(${sql.param(kbs)}::text[])
           ${code === null ? sql`` : sql`or lower(ki.title || ' ' || ki.symptoms || ' ' || ki.workaround) like ${code}`}
           ${tsQuery === null ? sql`` : sql`or ${document} @@ ${tsQuery}`}
           or lower(ki.title) like ${q.contains}
           or lower(ki.title) % ${q.lower}
        order by score desc, case when ki.status in ('resolved', 'resolved_external') then 1 else 0 end, ki.advisory_id collate "C"
        limit ${GROUP_LIMIT + 1}`,
  );
  return rows.map((r) => ({
    kind: "known_issue",
    key: r.advisory_id,
    title: `${r.advisory_id} · ${r.title}`,
    subtitle: [
      STATUS_LABELS[r.status],
      `severity ${r.severity}`,
      r.slug,
      r.origin_kb ? `from ${r.origin_kb}` : null,
      r.resolving_kb ? `fixed by ${r.resolving_kb}` : null,
      RESOLVED_STATUSES.includes(r.status) ? null : "active",
    ]
      .filter(Boolean)
      .join(" · "),
    href: `/known-issues/${encodeURIComponent(r.advisory_id)}`,
    score: round(Number(r.score)),
  }));
}

function group(kind: SearchKind, items: SearchItem[]): SearchGroup {
  return { kind, label: KIND_LABELS[kind], items: items.slice(0, GROUP_LIMIT), more: items.length > GROUP_LIMIT };
}

export async function search(actor: Actor | null, raw: string): Promise<SearchResults> {
  assertCan(actor, "search.read");
  const q = parseSearchQuery(raw);
  if (!q) return { query: raw.trim(), groups: [], total: 0 };
  const db = await getReadDb(actor);
  const [deviceItems, issueItems, appItems, errorItems, updateItems] = await Promise.all([
    searchDevices(db, q),
    searchKnownIssues(db, q),
    searchApps(db, q),
    searchErrorCodes(db, q),
    searchUpdates(db, q),
  ]);
  const groups = [
    group("device", deviceItems),
    group("known_issue", issueItems),
    group("app", appItems),
    group("error_code", errorItems),
    group("update", updateItems),
  ]
    .filter((g) => g.items.length > 0)
    // Best hit first; on a tie the fixed order above (devices first: helpdesk's most common question).
    .sort((a, b) => b.items[0].score - a.items[0].score || SEARCH_KINDS.indexOf(a.kind) - SEARCH_KINDS.indexOf(b.kind));
  return { query: q.text, groups, total: groups.reduce((n, g) => n + g.items.length, 0) };
}
