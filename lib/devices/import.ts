import "server-only";
// Inventory upload: upsert devices by hostname (case-insensitive) from a JSON array or CSV, with a
// per-row answer. Bad rows are reported with their index and reasons; good rows are stored, in one
// transaction per upload, set-based (JSON record sets of 5,000 rows, never one statement per row).
// After the upsert the targeting of open rollouts is re-evaluated in the same transaction.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { departments, sites } from "@/db/schema";
import { mutation } from "@/lib/dal/mutation";
import { HttpError, type FieldError } from "@/lib/http/problem";
import { syncOpenRollouts } from "@/lib/rollouts/materialise";
import { forgetCountedImpact } from "@/lib/known-issues/impact-cache";
import { txRows, type Tx } from "@/db/tx";
import { parseDeviceCsv, type RawDeviceRow } from "./csv";

export const MAX_DEVICE_ROWS = 200_000;
const CHUNK = 10_000;
const BULK = 1_000;

export const HOSTNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

const trimmed = (max: number, label: string) => z.string({ message: `${label} must be text.` }).trim().max(max, `${label}: at most ${max} characters.`);

/** One device as the API and the CSV describe it (site and department by name). */
export const DeviceRow = z.object({
  hostname: trimmed(253, "hostname").regex(HOSTNAME_PATTERN, "hostname: letters, digits, '.', '-' and '_' only, starting with a letter or digit."),
  os: trimmed(100, "os").min(1, "os is required (e.g. Windows XP)."),
  osVersion: trimmed(100, "osVersion").optional(),
  site: trimmed(200, "site").min(1, "site is required."),
  department: z.union([trimmed(200, "department"), z.null()]).optional(),
  channel: z.enum(["network", "offline_media", "technician"], { message: "channel must be network, offline_media or technician." }).optional(),
  tags: z
    .array(trimmed(100, "tag").min(1, "tags cannot be empty."), { message: "tags must be a list of text." })
    .max(50, "At most 50 tags.")
    .optional(),
  apps: z
    .array(
      z.object({
        name: trimmed(200, "app name").min(1, "An app needs a name."),
        version: trimmed(100, "app version").default(""),
      }),
      { message: "apps must be a list of {name, version}." },
    )
    .max(500, "At most 500 apps per device.")
    .optional(),
});
export type DeviceRow = z.output<typeof DeviceRow>;

export type RejectedRow = { index: number; line?: number; hostname?: string; errors: FieldError[] };

export type DeviceImportResult = {
  dryRun: boolean;
  received: number;
  accepted: number;
  created: number;
  updated: number;
  rejected: RejectedRow[];
  /** Rollouts whose targeting was re-evaluated after the change. */
  rolloutsReevaluated: number;
};

type ResolvedRow = DeviceRow & { index: number; key: string; siteId: number; departmentId: number | null | undefined };

/** Validates rows: fields, sites and departments by name, duplicate hostnames (case-insensitive). */
async function resolveRows(tx: Tx, raw: readonly RawDeviceRow[]): Promise<{ good: ResolvedRow[]; rejected: RejectedRow[] }> {
  const [siteRows, departmentRows] = await Promise.all([
    tx.select({ id: sites.id, name: sites.name }).from(sites),
    tx.select({ id: departments.id, name: departments.name }).from(departments),
  ]);
  const siteByName = new Map(siteRows.map((s) => [s.name.toLowerCase(), s.id]));
  const departmentByName = new Map(departmentRows.map((d) => [d.name.toLowerCase(), d.id]));
  const firstIndex = new Map<string, number>();
  const good: ResolvedRow[] = [];
  const rejected: RejectedRow[] = [];

  raw.forEach((item, index) => {
    const line = item.line;
    const parsed = DeviceRow.safeParse(item.value);
    const hostnameGuess = typeof (item.value as { hostname?: unknown })?.hostname === "string" ? String((item.value as { hostname: string }).hostname) : undefined;
    const errors: FieldError[] = item.errors ? [...item.errors] : [];
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ path: issue.path.join(".") || "(row)", message: issue.message });
      rejected.push({ index, line, hostname: hostnameGuess, errors });
      return;
    }
    const row = parsed.data;
    const siteId = siteByName.get(row.site.toLowerCase());
    if (siteId === undefined) errors.push({ path: "site", message: `Unknown site "${row.site}". Create it first (Devices → Sites).` });
    let departmentId: number | null | undefined = undefined;
    if (row.department === null || row.department === "") departmentId = null;
    else if (row.department !== undefined) {
      departmentId = departmentByName.get(row.department.toLowerCase());
      if (departmentId === undefined) errors.push({ path: "department", message: `Unknown department "${row.department}". Create it first (Devices → Sites).` });
    }
    const key = row.hostname.toLowerCase();
    const first = firstIndex.get(key);
    if (first !== undefined) {
      errors.push({ path: "hostname", message: `Duplicate hostname: the same device as row ${first + 1} (hostnames are case-insensitive).` });
    }
    if (errors.length) {
      rejected.push({ index, line, hostname: row.hostname, errors });
      return;
    }
    firstIndex.set(key, index);
    good.push({ ...row, index, key, siteId: siteId!, departmentId });
  });
  return { good, rejected };
}

/**
 * What an upload sends: a CSV text (its header is checked here: missing columns refuse the whole
 * file) or a JSON array; either way the rows, each checked on its own when the upload runs.
 */
export const DeviceUpload = z.union([
  z.object({ csv: z.string(), dryRun: z.boolean().default(false) }).transform(({ csv, dryRun }) => ({ rows: parseDeviceCsv(csv), dryRun })),
  z.object({ json: z.array(z.unknown()), dryRun: z.boolean().default(false) }).transform(({ json, dryRun }) => ({ rows: json.map((value): RawDeviceRow => ({ value })), dryRun })),
]);

/**
 * Upserts devices from a CSV text or JSON values, with an answer per row. With `dryRun` nothing is
 * written: the answer says what would be created/updated.
 */
export const importDevices = mutation({
  action: "inventory.write",
  input: DeviceUpload,
  invalid: "Send devices as a CSV text or a JSON array; nothing was imported.",
  run: async (tx, _actor, { rows: raw, dryRun }): Promise<DeviceImportResult> => {
    if (raw.length > MAX_DEVICE_ROWS) throw new HttpError(413, `At most ${MAX_DEVICE_ROWS.toLocaleString("en")} devices per upload; split the file.`);
    // Hostname lookups must use the unique btree on lower(hostname). PostgreSQL can also answer `=`
    // from the trigram GIN index (through a bitmap scan), which it picks on fresh statistics and
    // which costs a posting-list scan per row: 10,000 lookups then take minutes instead of
    // milliseconds. GIN is only reachable through bitmap scans, so switch those off for this upload.
    await tx.execute(sql`set local enable_bitmapscan = off`);
    const { good, rejected } = await resolveRows(tx, raw);
    const existing = await existingHostnames(tx, good);
    const created = good.filter((r) => !existing.has(r.key)).length;
    const result: DeviceImportResult = { dryRun, received: raw.length, accepted: good.length, created, updated: good.length - created, rejected, rolloutsReevaluated: 0 };
    if (dryRun || good.length === 0) return result;
    await storeRows(tx, good, existing);
    await tx.execute(sql`set local enable_bitmapscan = on`);
    result.rolloutsReevaluated = await syncOpenRollouts(tx);
    return result;
  },
  audit: ({ rows }, result) =>
    result.dryRun || result.accepted === 0
      ? null
      : {
          action: "inventory.import",
          targetType: "devices",
          after: {
            received: result.received,
            accepted: result.accepted,
            created: result.created,
            updated: result.updated,
            rejected: result.rejected.length,
            hostnames: acceptedHostnames(rows, result.rejected, 20),
          },
        },
  // The rollout pages count the impact of known issues afresh.
  afterCommit: () => forgetCountedImpact(),
});

/** Which of the rows' hostnames (lower-cased) are devices already. */
async function existingHostnames(tx: Tx, good: ResolvedRow[]): Promise<Set<string>> {
  const existing = new Set<string>();
  for (let i = 0; i < good.length; i += 20_000) {
    const keys = good.slice(i, i + 20_000).map((r) => r.key);
    const rows = await txRows<{ key: string }>(tx, sql`select lower(d.hostname) as key from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) as k(key) join devices d on lower(d.hostname) = k.key`);
    for (const row of rows) existing.add(row.key);
  }
  return existing;
}

/** Updates the known devices (moving their deployment counts), inserts the new ones, links their apps. */
async function storeRows(tx: Tx, good: ResolvedRow[], existing: Set<string>): Promise<void> {
  const known = good.filter((r) => existing.has(r.key));
  const fresh = good.filter((r) => !existing.has(r.key));
  const moved: MovedDevice[] = [];
  for (let i = 0; i < known.length; i += CHUNK) moved.push(...(await upsertChunk(tx, known.slice(i, i + CHUNK), "update")));
  for (let i = 0; i < fresh.length; i += CHUNK) await upsertChunk(tx, fresh.slice(i, i + CHUNK), "insert");
  await moveDeploymentCounts(tx, moved);
  // Fresh statistics after a bulk change, for the joins that follow (apps, rollout re-evaluation).
  if (good.length >= BULK) await tx.execute(sql`analyze devices`);
  for (let i = 0; i < good.length; i += CHUNK) await linkApps(tx, good.slice(i, i + CHUNK));
  if (good.length >= BULK) await tx.execute(sql`analyze apps, device_apps`);
}

/** The hostnames of the first `limit` accepted rows, as stored (for the audit entry). */
function acceptedHostnames(rows: readonly RawDeviceRow[], rejected: readonly RejectedRow[], limit: number): string[] {
  const refused = new Set(rejected.map((r) => r.index));
  const hostnames: string[] = [];
  for (let index = 0; index < rows.length && hostnames.length < limit; index++) {
    if (!refused.has(index)) hostnames.push(String((rows[index].value as { hostname: string }).hostname).trim());
  }
  return hostnames;
}

/** A known device whose site, OS or department the upload changes, with the values it had before. */
type MovedDevice = { id: number; site_id: number; os_name: string; department_id: number | null };

/** Upserts one chunk; in "update" mode answers the devices whose deployment_counts key moves. */
async function upsertChunk(tx: Tx, rows: ResolvedRow[], mode: "insert" | "update"): Promise<MovedDevice[]> {
  // Absent optional fields keep what the device had (null in the record set); new devices get defaults.
  const deviceJson = JSON.stringify(
    rows.map((r) => ({
      hostname: r.hostname,
      os_name: r.os,
      os_version: r.osVersion ?? null,
      site_id: r.siteId,
      department_set: r.departmentId !== undefined,
      department_id: r.departmentId ?? null,
      channel: r.channel ?? null,
      tags: r.tags ? [...new Set(r.tags)] : null,
    })),
  );
  const recordSet = sql`jsonb_to_recordset(${deviceJson}::jsonb)
    as r(hostname text, os_name text, os_version text, site_id int, department_set boolean, department_id int, channel text, tags text[])`;
  let moved: MovedDevice[] = [];
  // Locked before the update so a concurrent upload of the same devices cannot hand us stale old keys.
  if (mode === "update") moved = await txRows<MovedDevice>(tx, sql`
    select d.id, d.site_id, d.os_name, d.department_id
    from devices d join ${recordSet} on lower(d.hostname) = lower(r.hostname)
    where d.site_id is distinct from r.site_id
      or d.os_name is distinct from r.os_name
      or (r.department_set and d.department_id is distinct from r.department_id)
    order by d.id
    for update of d`);
  if (mode === "update") await tx.execute(sql`
    update devices d set
      hostname = r.hostname,
      os_name = r.os_name,
      os_version = coalesce(r.os_version, d.os_version),
      site_id = r.site_id,
      department_id = case when r.department_set then r.department_id else d.department_id end,
      channel = coalesce(r.channel::delivery_channel, d.channel),
      tags = coalesce(r.tags, d.tags),
      last_seen_at = now(),
      updated_at = now()
    from ${recordSet}
    where lower(d.hostname) = lower(r.hostname)
      -- Rewriting an unchanged row still costs every index on devices (the trigram GiST one most),
      -- so a re-upload of the same inventory only touches what changed, and last_seen_at hourly.
      and (d.hostname is distinct from r.hostname
        or d.os_name is distinct from r.os_name
        or d.os_version is distinct from coalesce(r.os_version, d.os_version)
        or d.site_id is distinct from r.site_id
        or (r.department_set and d.department_id is distinct from r.department_id)
        or d.channel is distinct from coalesce(r.channel::delivery_channel, d.channel)
        or d.tags is distinct from coalesce(r.tags, d.tags)
        or d.last_seen_at is null
        or d.last_seen_at < now() - interval '1 hour')`);
  // Rows found a moment ago go through UPDATE; new ones are inserted (a concurrent insert of the same
  // hostname loses quietly rather than failing the whole upload).
  if (mode === "insert") await tx.execute(sql`
    insert into devices (hostname, os_name, os_version, site_id, department_id, channel, tags, last_seen_at)
    select r.hostname, r.os_name, coalesce(r.os_version, ''), r.site_id, r.department_id,
           coalesce(r.channel, 'network')::delivery_channel, coalesce(r.tags, '{}'::text[]), now()
    from ${recordSet}
    on conflict (lower(hostname)) do nothing`);
  return moved;
}

/**
 * deployment_counts is keyed by the device's site, OS and department: moves the counts of the moved
 * devices' deployments from their old key to the new one (one statement, keys in order, the same
 * order ingest writes them). The deployments are locked first, in ingest's (device, update) order,
 * so a batch changing one of their states meanwhile is counted once, after it commits.
 */
async function moveDeploymentCounts(tx: Tx, moved: MovedDevice[]): Promise<void> {
  if (moved.length === 0) return;
  await tx.execute(sql`
    with moved as (
      select * from jsonb_to_recordset(${JSON.stringify(moved)}::jsonb) as m(id int, site_id int, os_name text, department_id int)
    ),
    locked as (
      select d.device_id, d.update_id, coalesce(d.rollout_id, 0) as rollout_id, coalesce(d.wave_id, 0) as wave_id, d.state, coalesce(d.build_id, 0) as build_id
      from deployments d join moved m on m.id = d.device_id
      order by d.device_id, d.update_id
      for update of d
    ),
    delta as (
      select l.update_id, l.rollout_id, l.wave_id, m.site_id, m.os_name, coalesce(m.department_id, 0) as department_id, l.state, l.build_id, -1 as n
      from locked l join moved m on m.id = l.device_id
      union all
      select l.update_id, l.rollout_id, l.wave_id, v.site_id, v.os_name, coalesce(v.department_id, 0), l.state, l.build_id, 1
      from locked l join devices v on v.id = l.device_id
    )
    insert into deployment_counts as dc (update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id, count)
    select update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id, sum(n)::int
    from delta
    group by 1, 2, 3, 4, 5, 6, 7, 8
    having sum(n) <> 0
    -- Byte order for the text columns, as ingest sorts its keys (compareCountKeys).
    order by 1, 2, 3, 4, os_name collate "C", 6, state::text collate "C", 8
    on conflict (update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id)
    do update set count = dc.count + excluded.count`);
}

async function linkApps(tx: Tx, rows: ResolvedRow[]): Promise<void> {
  const withApps = rows.filter((r) => r.apps !== undefined);
  if (withApps.length === 0) return;
  const keys = withApps.map((r) => r.key);
  const idRows = await txRows<{ id: number; key: string }>(tx, sql`select d.id, lower(d.hostname) as key from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) as k(key) join devices d on lower(d.hostname) = k.key`);
  const deviceId = new Map(idRows.map((r) => [r.key, r.id]));
  const appNames = [...new Map(withApps.flatMap((r) => r.apps!.map((a) => [a.name.toLowerCase(), a.name] as const))).values()];
  if (appNames.length) {
    await tx.execute(sql`insert into apps (name) select n from jsonb_array_elements_text(${JSON.stringify(appNames)}::jsonb) as n on conflict (lower(name)) do nothing`);
  }
  const appRows = appNames.length
    ? await txRows<{ id: number; key: string }>(tx, sql`select a.id, lower(a.name) as key from jsonb_array_elements_text(${JSON.stringify(appNames.map((n) => n.toLowerCase()))}::jsonb) as k(key) join apps a on lower(a.name) = k.key`)
    : [];
  const appId = new Map(appRows.map((a) => [a.key, a.id]));
  await tx.execute(sql`delete from device_apps da using jsonb_array_elements_text(${JSON.stringify([...deviceId.values()])}::jsonb) as k(id) where da.device_id = k.id::int`);
  const links = new Map<string, { device_id: number; app_id: number; version: string }>();
  for (const row of withApps) {
    const device = deviceId.get(row.key);
    if (device === undefined) continue;
    for (const app of row.apps!) {
      const id = appId.get(app.name.toLowerCase())!;
      links.set(`${device}:${id}`, { device_id: device, app_id: id, version: app.version });
    }
  }
  if (links.size) {
    await tx.execute(sql`
      insert into device_apps (device_id, app_id, version)
      select r.device_id, r.app_id, r.version from jsonb_to_recordset(${JSON.stringify([...links.values()])}::jsonb) as r(device_id int, app_id int, version text)`);
  }
}
