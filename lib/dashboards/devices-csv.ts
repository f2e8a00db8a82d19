import "server-only";
// GET /api/v1/rollouts/{id}/devices.csv: every device of a rollout with its deployment, filtered
// like the page (state, wave, site, OS). Streams in keyset pages (by lower(hostname), unique) of
// `chunkSize` rows, each fetched only when the client has read the previous one, so 100,000 rows
// never sit in memory at once. Pages are separate queries: a long export sees ingest progress
// between chunks, but never a device twice or not at all (the key is unique and ordered).
import { eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getReadDb } from "@/lib/server/replica-reads";
import { rollouts, updates } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { DEPLOYMENT_STATES } from "@/lib/deployments/states";
import { HttpError, zodErrors } from "@/lib/http/problem";
import { optionalText } from "@/lib/http/query";
import { silentCondition } from "@/lib/rollouts/silent";
import { txRows } from "@/db/tx";
import { csvLine } from "./csv";

export const DevicesCsvFilter = z.object({
  state: z.preprocess((v) => (v === "" ? undefined : v), z.enum(DEPLOYMENT_STATES).optional()),
  wave: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().optional()),
  site: optionalText,
  os: optionalText,
  /** Only machines on this build (name or version, any case). */
  build: optionalText,
  /** Only silent machines (no report for the rollout's silentAfterDays in a started wave; lib/rollouts/silent.ts). */
  silent: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["1", "true"]).optional()).transform((v) => v !== undefined),
});
export type DevicesCsvFilter = z.input<typeof DevicesCsvFilter>;

export const CSV_COLUMNS = [
  "hostname",
  "os",
  "os_version",
  "site",
  "department",
  "channel",
  "wave",
  "state",
  "error_code",
  "alert",
  "message",
  "attempts",
  "last_reported_at",
  // Issue #17: the build installed or being installed, the build the wave targets, and "yes" when
  // the machine is installed, behind (an older build than its wave targets: not done, not failed).
  "build",
  "wave_build",
  "behind",
] as const;

type CsvRow = {
  key: string;
  hostname: string;
  os_name: string;
  os_version: string;
  site: string;
  department: string | null;
  channel: string;
  wave: string | null;
  state: string;
  error_code: string | null;
  alert: string | null;
  message: string | null;
  attempts: number;
  last_reported_at: string | null;
  build: string | null;
  wave_build: string | null;
  behind: string;
};

export const DEFAULT_CHUNK_SIZE = 5_000;

export type DevicesCsvExport = { filename: string; stream: ReadableStream<Uint8Array> };

/** Checks who asks, the filters and that the rollout exists, then returns the (lazy) stream. */
export async function exportRolloutDevicesCsv(
  actor: Actor | null,
  rolloutId: number,
  rawFilter: Record<string, unknown>,
  options: { chunkSize?: number } = {},
): Promise<DevicesCsvExport> {
  assertCan(actor, "rollout.read");
  const parsed = DevicesCsvFilter.safeParse(rawFilter);
  if (!parsed.success) throw new HttpError(400, "The export filters are invalid.", { errors: zodErrors(parsed.error) });
  const filter = parsed.data;
  const chunkSize = Math.max(1, Math.min(options.chunkSize ?? DEFAULT_CHUNK_SIZE, 10_000));
  const startedAt = new Date();
  // A long export reads the replica when there is one (a chunk it cannot answer is answered by the primary).
  const db = await getReadDb(actor);
  const [rollout] = await db
    .select({ id: rollouts.id, slug: updates.slug })
    .from(rollouts)
    .innerJoin(updates, eq(updates.id, rollouts.updateId))
    .where(eq(rollouts.id, rolloutId));
  if (!rollout) throw new HttpError(404, "No such rollout.");

  // rollout_id alone (not also update_id, which it implies): with both, PostgreSQL underestimates
  // the rows 10-fold and sorts the whole rollout for every chunk instead of walking the hostname index.
  const conditions: SQL[] = [sql`d.rollout_id = ${rollout.id}`];
  if (filter.state) conditions.push(sql`d.state = ${filter.state}`);
  if (filter.wave) conditions.push(sql`d.wave_id = ${filter.wave}`);
  if (filter.site) conditions.push(sql`lower(s.name) = lower(${filter.site})`);
  if (filter.os) conditions.push(sql`lower(v.os_name) = lower(${filter.os})`);
  if (filter.build) conditions.push(sql`(lower(b.name) = lower(${filter.build}) or lower(b.version) = lower(${filter.build}))`);
  // One instant for the whole export, so a machine does not turn silent between two chunks.
  if (filter.silent) conditions.push(sql`exists (select 1 from rollouts r where r.id = d.rollout_id and ${silentCondition(startedAt, { d: "d", w: "w", r: "r" })})`);

  const fetchChunk = (after: string | null) =>
    txRows<CsvRow>(
      db,
      sql`select lower(v.hostname) as key, v.hostname, v.os_name, v.os_version, s.name as site, dep.name as department,
                 d.channel::text as channel, w.name as wave, d.state::text as state, d.error_code, d.alert::text as alert,
                 d.message, d.attempts, to_char(d.last_reported_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_reported_at,
                 b.name as build, tb.name as wave_build,
                 case when d.state = 'installed' and d.build_id < tb.id then 'yes' else '' end as behind
          from deployments d
          join devices v on v.id = d.device_id
          join sites s on s.id = v.site_id
          left join departments dep on dep.id = v.department_id
          left join waves w on w.id = d.wave_id
          left join builds b on b.id = d.build_id
          left join builds tb on tb.id = coalesce(w.build_id, (select r.build_id from rollouts r where r.id = d.rollout_id))
          where ${sql.join(conditions, sql` and `)}${after === null ? sql`` : sql` and lower(v.hostname) > ${after}`}
          order by lower(v.hostname)
          limit ${chunkSize}`,
    );

  const encoder = new TextEncoder();
  let after: string | null = null;
  let done = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvLine(CSV_COLUMNS)));
      },
      async pull(controller) {
        if (done) return;
        try {
          const rows = await fetchChunk(after);
          let text = "";
          for (const r of rows) {
            text += csvLine([r.hostname, r.os_name, r.os_version, r.site, r.department, r.channel, r.wave, r.state, r.error_code, r.alert, r.message, r.attempts, r.last_reported_at, r.build, r.wave_build, r.behind]);
          }
          if (text) controller.enqueue(encoder.encode(text));
          if (rows.length < chunkSize) {
            done = true;
            controller.close();
          } else {
            after = rows[rows.length - 1].key;
          }
        } catch (error) {
          done = true;
          console.error("[csv] export of rollout", rollout.id, "failed:", error instanceof Error ? error.message : error);
          controller.error(error);
        }
      },
      cancel() {
        done = true;
      },
    },
    // One chunk at a time: the next query runs only after the client read the previous one.
    { highWaterMark: 1 },
  );
  const stamp = new Date().toISOString().slice(0, 10);
  return { filename: `${rollout.slug.replace(/[^A-Za-z0-9._-]/g, "-")}-rollout-${rollout.id}-devices-${stamp}.csv`, stream };
}
