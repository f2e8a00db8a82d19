import "server-only";
// Hostnames for the one box, in one statement of bounded steps, each only when the one before
// left room:
// 1. exact and prefix matches (byte-order index on lower(hostname) collate "C", LIMIT);
// 2. substrings (trigram GIN index), only when no name equals the query: a full hostname's
//    trigrams are the fleet's common ones ("SCALE-0…"), so the substring step would scan most of
//    the index (55–60 ms at 1M devices) to add names nobody typing a whole hostname looks for;
// 3. only when nothing matched at all, i.e. a typo — the most similar names among
//    a. the names that share the query's longest existing prefix (at most NEIGHBOURHOOD of them,
//       walked in byte order: a typo late in a name), and, when none of those is close,
//    b. the names whose word similarity reaches 0.6, or else whose strict word similarity
//       reaches 0.5 (pg_trgm's default thresholds, GIN index: a typo early in a name).
// Large fleets share long prefixes ("SCALE-0…"): every name there shares most trigrams with
// every other, so a nearest-neighbour walk of a trigram GiST index or a low similarity threshold
// touches every row. Step 3a finds those typos from the prefix; step 3b runs only when the typo
// broke the shared part, which is exactly when the GIN index has rare trigrams to start from.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { ParsedQuery } from "./query";

type DeviceRow = { hostname: string; os_name: string; os_version: string; site: string; department: string | null; score: number };

export type DeviceHit = { hostname: string; subtitle: string; score: number };

const DEVICE_COLUMNS = sql`v.hostname, v.os_name, v.os_version, s.name as site, d.name as department`;
const DEVICE_JOINS = sql`join sites s on s.id = v.site_id left join departments d on d.id = v.department_id`;
/** Names sharing the longest existing prefix that step 3a ranks. */
const NEIGHBOURHOOD = 200;
/** A typo shows at least this similarity (pg_trgm's default threshold is 0.3). */
const FUZZY_SIMILARITY = 0.3;
/** A name from step 3a this close means the typo was late in the name: step 3b is not needed. */
const CLOSE_SIMILARITY = 0.5;
/** Hostnames are at most this long (DNS labels are 63). */
const MAX_PREFIX = 64;
/** The largest code point: `prefix || MAX_CHAR` is above every name that starts with `prefix` in byte order. */
const MAX_CHAR = String.fromCodePoint(0x10ffff);

function toHit(r: DeviceRow): DeviceHit {
  return {
    hostname: r.hostname,
    subtitle: [[r.os_name, r.os_version].filter(Boolean).join(" "), r.site, r.department].filter(Boolean).join(" · "),
    score: Number(r.score),
  };
}

/** The query's prefixes, longest first, as byte-order ranges [from, to). */
function prefixRanges(lower: string): { from: string[]; to: string[] } {
  const chars = [...lower].slice(0, MAX_PREFIX);
  const from = chars.map((_, i) => chars.slice(0, chars.length - i).join(""));
  return { from, to: from.map((p) => p + MAX_CHAR) };
}

/**
 * Steps 3a and 3b as CTEs `near` and `typo`; each runs only when no name matched in steps 1–2
 * (uncorrelated conditions: the planner turns them into one-time filters, so a skipped step costs
 * nothing). Step 3b uses pg_trgm's `<%` (word similarity ≥ 0.6 by default) and, when that finds
 * nothing, `<<%` (strict word similarity ≥ 0.5): the GIN index answers both without changing a
 * threshold setting, i.e. without a transaction.
 */
function typoSteps(q: ParsedQuery) {
  const { from, to } = prefixRanges(q.lower);
  const unmatched = sql`not exists (select 1 from pre) and not exists (select 1 from sub)`;
  return sql`, prefixes as (
      select p.n, p.low, hi.high
      from unnest(${sql.param(from)}::text[]) with ordinality as p(low, n)
      join unnest(${sql.param(to)}::text[]) with ordinality as hi(high, n) on hi.n = p.n
      where ${unmatched}
    ), longest as (
      select p.low, p.high from prefixes p
      where exists (select 1 from devices e where lower(e.hostname) collate "C" >= p.low collate "C" and lower(e.hostname) collate "C" < p.high collate "C")
      order by p.n limit 1
    ), near as materialized (
      select c.id, similarity(lower(c.hostname), ${q.lower})::float8 as sim
      from longest l cross join lateral (
        select e.id, e.hostname from devices e
        where lower(e.hostname) collate "C" >= l.low collate "C" and lower(e.hostname) collate "C" < l.high collate "C"
        order by lower(e.hostname) collate "C" limit ${NEIGHBOURHOOD}
      ) c
    ), far as (
      select ${unmatched} and coalesce((select max(sim) from near), 0) < ${CLOSE_SIMILARITY} as needed
    ), strict as materialized (
      select e.id, similarity(lower(e.hostname), ${q.lower})::float8 as sim from devices e
      where (select needed from far) and ${q.lower} <% lower(e.hostname)
    ), loose as materialized (
      select e.id, similarity(lower(e.hostname), ${q.lower})::float8 as sim from devices e
      where (select needed from far) and not exists (select 1 from strict) and ${q.lower} <<% lower(e.hostname)
    ), typo as (
      select id, max(sim) as sim from (
        select id, sim from near where sim > ${FUZZY_SIMILARITY}
        union all select id, sim from strict union all select id, sim from loose
      ) t group by id
    )`;
}

/** Up to `want` hostnames, best first, scored 1 (exact), 0.9 (prefix), 0.75 (substring), below 0.7 (typo). */
export async function findDevices(db: Db, q: ParsedQuery, want: number): Promise<DeviceHit[]> {
  // An error code, a KB number or an advisory id is not a mistyped hostname.
  const typos = !q.errorCode && !q.kb && !q.advisoryId;
  const rows = await queryRows<DeviceRow>(
    db,
    sql`with pre as materialized (
          select v.id, (case when lower(v.hostname) = ${q.lower} then 1.0 else 0.9 end)::float8 as score
          from devices v
          where lower(v.hostname) collate "C" like ${q.prefix}
          order by lower(v.hostname) collate "C"
          limit ${want}
        ), sub as materialized (
          select v.id, 0.75::float8 as score
          from devices v
          where (select count(*) from pre) < ${want} and not exists (select 1 from pre where score = 1.0)
            and lower(v.hostname) like ${q.contains} and not (lower(v.hostname) collate "C" like ${q.prefix})
          order by lower(v.hostname) collate "C"
          limit ${want}
        )${typos ? typoSteps(q) : sql``}, hits as (
          select id, score, 1 as step from pre
          union all select id, score, 2 as step from sub
          ${typos ? sql`union all select id, (sim * 0.7)::float8 as score, 3 as step from typo` : sql``}
        )
        select ${DEVICE_COLUMNS}, h.score
        from hits h join devices v on v.id = h.id ${DEVICE_JOINS}
        order by h.step, case when h.step = 3 then -h.score else 0 end, lower(v.hostname) collate "C"
        limit ${want}`,
  );
  return rows.map(toHit);
}
