import "server-only";
// Hostnames for the one box, in bounded steps, each only when the one before left room:
// 1. exact and prefix matches (byte-order index on lower(hostname) collate "C", LIMIT);
// 2. substrings (trigram GIN index);
// 3. only when nothing matched at all, i.e. a typo — the most similar names among
//    a. the names that share the query's longest existing prefix (at most NEIGHBOURHOOD of them,
//       walked in byte order: a typo late in a name), and, when none of those is close,
//    b. the names whose trigram similarity reaches TYPO_SIMILARITY (GIN index, under that
//       pg_trgm.similarity_threshold for one transaction: a typo early in a name).
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
/** Step 3b runs with this pg_trgm.similarity_threshold: high enough for the GIN scan to need rare trigrams. */
const TYPO_SIMILARITY = 0.5;
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

async function typoNeighbourhood(db: Db, q: ParsedQuery, want: number): Promise<DeviceRow[]> {
  const { from, to } = prefixRanges(q.lower);
  return queryRows<DeviceRow>(
    db,
    sql`with prefixes as (
          select p.n, p.low, hi.high
          from unnest(${sql.param(from)}::text[]) with ordinality as p(low, n)
          join unnest(${sql.param(to)}::text[]) with ordinality as hi(high, n) on hi.n = p.n
        ), longest as (
          select p.low, p.high from prefixes p
          where exists (select 1 from devices e where lower(e.hostname) collate "C" >= p.low collate "C" and lower(e.hostname) collate "C" < p.high collate "C")
          order by p.n limit 1
        ), near as (
          select c.id, similarity(lower(c.hostname), ${q.lower})::float8 as sim
          from longest l cross join lateral (
            select e.id, e.hostname from devices e
            where lower(e.hostname) collate "C" >= l.low collate "C" and lower(e.hostname) collate "C" < l.high collate "C"
            order by lower(e.hostname) collate "C" limit ${NEIGHBOURHOOD}
          ) c
        )
        select ${DEVICE_COLUMNS}, (n.sim * 0.7)::float8 as score
        from near n join devices v on v.id = n.id ${DEVICE_JOINS}
        where n.sim > ${FUZZY_SIMILARITY}
        order by n.sim desc, lower(v.hostname) collate "C"
        limit ${want}`,
  );
}

async function typoBySimilarity(db: Db, q: ParsedQuery, want: number): Promise<DeviceRow[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('pg_trgm.similarity_threshold', ${String(TYPO_SIMILARITY)}, true)`);
    return queryRows<DeviceRow>(
      tx as unknown as Db,
      sql`select ${DEVICE_COLUMNS}, (n.sim * 0.7)::float8 as score
          from (select id, similarity(lower(hostname), ${q.lower})::float8 as sim from devices where lower(hostname) % ${q.lower}) n
          join devices v on v.id = n.id ${DEVICE_JOINS}
          order by n.sim desc, lower(v.hostname) collate "C"
          limit ${want}`,
    );
  });
}

/** Up to `want` hostnames, best first, scored 1 (exact), 0.9 (prefix), 0.75 (substring), below 0.7 (typo). */
export async function findDevices(db: Db, q: ParsedQuery, want: number): Promise<DeviceHit[]> {
  const rows = await queryRows<DeviceRow>(
    db,
    sql`select ${DEVICE_COLUMNS}, (case when lower(v.hostname) = ${q.lower} then 1.0 else 0.9 end)::float8 as score
        from devices v ${DEVICE_JOINS}
        where lower(v.hostname) collate "C" like ${q.prefix}
        order by lower(v.hostname) collate "C"
        limit ${want}`,
  );
  if (rows.length < want) {
    rows.push(
      ...(await queryRows<DeviceRow>(
        db,
        sql`select ${DEVICE_COLUMNS}, 0.75::float8 as score
            from devices v ${DEVICE_JOINS}
            where lower(v.hostname) like ${q.contains} and not (lower(v.hostname) collate "C" like ${q.prefix})
            order by lower(v.hostname) collate "C"
            limit ${want - rows.length}`,
      )),
    );
  }
  // An error code, a KB number or an advisory id is not a mistyped hostname.
  if (rows.length === 0 && !q.errorCode && !q.kb && !q.advisoryId) {
    const near = await typoNeighbourhood(db, q, want);
    const close = near.length > 0 && Number(near[0].score) >= TYPO_SIMILARITY * 0.7;
    rows.push(...(close ? near : mergeTypos(near, await typoBySimilarity(db, q, want), want)));
  }
  return rows.map(toHit);
}

/** Both typo steps' rows, best first, each hostname once. */
function mergeTypos(a: DeviceRow[], b: DeviceRow[], want: number): DeviceRow[] {
  const seen = new Set<string>();
  return [...a, ...b]
    .sort((x, y) => Number(y.score) - Number(x.score) || (x.hostname.toLowerCase() < y.hostname.toLowerCase() ? -1 : 1))
    .filter((r) => !seen.has(r.hostname) && seen.add(r.hostname))
    .slice(0, want);
}
