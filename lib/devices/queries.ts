import "server-only";
// Inventory reads: the device list (filters, keyset pagination by hostname, ≤100 per page) and a
// device's detail (apps, deployments with alerts and remedies, event history, matching known issues).
import { and, asc, desc, eq, gt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getReadDb } from "@/lib/server/replica-reads";
import { apps, departments, deployments, deviceApps, devices, knownIssues, rollouts, sites, statusEvents, updates, waves } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { ALERT_REMEDIES, DEPLOYMENT_STATES, type DeploymentAlert } from "@/lib/deployments/states";
import { HttpError } from "@/lib/http/problem";
import { optionalText } from "@/lib/http/query";
import { txRows } from "@/db/tx";
import { silentCondition, silentRowsCondition, silentWavesOfUpdate } from "@/lib/rollouts/silent";
import { versionInRange } from "@/lib/rollouts/version-range";

export const DeviceFilter = z.object({
  q: optionalText,
  site: optionalText,
  department: optionalText,
  os: optionalText,
  channel: z
    .enum(["network", "offline_media", "technician"])
    .optional()
    .catch(undefined),
  tag: optionalText,
  state: z.enum(DEPLOYMENT_STATES).optional().catch(undefined),
  update: optionalText,
  /** Machines whose deployment (of `update`, else of any update) has this build, by name or version (any case). */
  build: optionalText,
  /** With `update`: only the machines of that wave, or only silent machines (lib/rollouts/silent.ts). */
  wave: z.coerce.number().int().positive().optional().catch(undefined),
  silent: z
    .enum(["1", "true"])
    .optional()
    .catch(undefined)
    .transform((v) => v !== undefined),
  cursor: optionalText,
  limit: z.coerce.number().int().min(1).max(100).catch(100).default(100),
});
export type DeviceFilter = z.input<typeof DeviceFilter>;

export type DeviceListItem = {
  hostname: string;
  os: string;
  osVersion: string;
  site: string;
  department: string | null;
  channel: string;
  tags: string[];
  lastSeenAt: string | null;
  lastReportedAt: string | null;
  /** The deployment state for `update`, when the list is filtered by an update. */
  state?: string | null;
  /** The deployment's build name for `update` (null: not known), when the list is filtered by an update. */
  build?: string | null;
};

const encodeCursor = (key: string) => Buffer.from(key, "utf8").toString("base64url");
const decodeCursor = (cursor: string) => {
  try {
    return Buffer.from(cursor, "base64url").toString("utf8");
  } catch {
    return "";
  }
};
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The device fields both the list and the detail answer with (the same names as the upload). */
const DEVICE_FIELDS = {
  hostname: devices.hostname,
  os: devices.osName,
  osVersion: devices.osVersion,
  site: sites.name,
  department: departments.name,
  channel: devices.channel,
  tags: devices.tags,
  lastSeenAt: devices.lastSeenAt,
  lastReportedAt: devices.lastReportedAt,
};

export async function listDevices(actor: Actor | null, raw: DeviceFilter): Promise<{ items: DeviceListItem[]; nextCursor: string | null; update: { id: number; slug: string } | null }> {
  assertCan(actor, "device.read");
  const filter = DeviceFilter.parse(raw);
  const db = await getReadDb(actor);
  let update: { id: number; slug: string } | null = null;
  if (filter.update) {
    [update] = await db.select({ id: updates.id, slug: updates.slug }).from(updates).where(eq(updates.slug, filter.update));
    if (!update) throw new HttpError(404, `No update with slug ${filter.update}.`);
  }
  const conditions: SQL[] = [];
  if (filter.q) conditions.push(sql`lower(${devices.hostname}) like ${"%" + escapeLike(filter.q.toLowerCase()) + "%"}`);
  if (filter.site) conditions.push(sql`lower(${sites.name}) = lower(${filter.site})`);
  if (filter.department) conditions.push(sql`lower(${departments.name}) = lower(${filter.department})`);
  if (filter.os) conditions.push(sql`lower(${devices.osName}) = lower(${filter.os})`);
  if (filter.channel) conditions.push(eq(devices.channel, filter.channel));
  if (filter.tag) conditions.push(sql`${devices.tags} @> array[${filter.tag}]::text[]`);
  if (filter.state && update) conditions.push(eq(deployments.state, filter.state));
  if (filter.state && !update) {
    conditions.push(sql`exists (select 1 from ${deployments} x where x.device_id = ${devices.id} and x.state = ${filter.state})`);
  }
  if (filter.wave && update) conditions.push(eq(deployments.waveId, filter.wave));
  if (filter.build) {
    const named = sql`(lower(b.name) = lower(${filter.build}) or lower(b.version) = lower(${filter.build}))`;
    conditions.push(
      update
        ? sql`${deployments.buildId} in (select b.id from builds b where b.update_id = ${update.id} and ${named})`
        : sql`exists (select 1 from ${deployments} x join builds b on b.id = x.build_id where x.device_id = ${devices.id} and ${named})`,
    );
  }
  if (filter.silent && update) {
    // Few silent machines: find them by the partial index and sort those; many: walk the hostnames and
    // test each (the first 100 come quickly). Either way the same rule (lib/rollouts/silent.ts).
    const now = new Date();
    const silentWaves = await silentWavesOfUpdate(db, update.id, now);
    const silent = silentWaves.reduce((n, w) => n + w.silent, 0);
    conditions.push(
      silent <= 5_000
        ? silentRowsCondition(silentWaves)
        : sql`exists (select 1 from waves w join rollouts r on r.id = w.rollout_id where w.id = ${deployments.waveId} and ${silentCondition(now, { d: "deployments", w: "w", r: "r" })})`,
    );
  }
  if (filter.cursor) conditions.push(gt(sql`lower(${devices.hostname})`, decodeCursor(filter.cursor)));

  const base = db
    .select({
      ...DEVICE_FIELDS,
      state: update ? deployments.state : sql<null>`null`,
      build: update ? sql<string | null>`(select b.name from builds b where b.id = ${deployments.buildId})` : sql<null>`null`,
    })
    .from(devices)
    .innerJoin(sites, eq(sites.id, devices.siteId))
    .leftJoin(departments, eq(departments.id, devices.departmentId));
  const joined = update
    ? base.leftJoin(deployments, and(eq(deployments.deviceId, devices.id), eq(deployments.updateId, update.id)))
    : base;
  const rows = await joined
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(sql`lower(${devices.hostname})`))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return {
    items: page.map((r) => ({
      ...r,
      lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
      lastReportedAt: r.lastReportedAt?.toISOString() ?? null,
      ...(update ? { state: r.state, build: r.build } : { state: undefined, build: undefined }),
    })),
    nextCursor: rows.length > filter.limit ? encodeCursor(page[page.length - 1].hostname.toLowerCase()) : null,
    update,
  };
}

export async function deviceFilterOptions(actor: Actor | null) {
  assertCan(actor, "device.read");
  const db = await getReadDb(actor);
  const [siteRows, departmentRows, osRows, tagRows, updateRows] = await Promise.all([
    db.select({ id: sites.id, name: sites.name }).from(sites).orderBy(asc(sites.name)),
    db.select({ id: departments.id, name: departments.name }).from(departments).orderBy(asc(departments.name)),
    txRows<{ os: string }>(db, sql`select distinct os_name as os from devices order by 1 limit 200`),
    txRows<{ tag: string }>(db, sql`select distinct unnest(tags) as tag from devices order by 1 limit 200`),
    db.select({ slug: updates.slug, title: updates.title }).from(updates).orderBy(asc(updates.title)),
  ]);
  return { sites: siteRows, departments: departmentRows, osNames: osRows.map((r) => r.os), tags: tagRows.map((r) => r.tag), updates: updateRows };
}

export type MatchingKnownIssue = {
  advisoryId: string;
  title: string;
  status: string;
  severity: string;
  update: string;
  app: string;
  installedVersion: string;
  versionRange: string;
};

export type DeviceDetail = Awaited<ReturnType<typeof getDevice>>;

export async function getDevice(actor: Actor | null, hostname: string) {
  assertCan(actor, "device.read");
  const db = await getReadDb(actor);
  const [device] = await db
    .select({
      id: devices.id,
      ...DEVICE_FIELDS,
      createdAt: devices.createdAt,
    })
    .from(devices)
    .innerJoin(sites, eq(sites.id, devices.siteId))
    .leftJoin(departments, eq(departments.id, devices.departmentId))
    .where(sql`lower(${devices.hostname}) = lower(${hostname})`);
  if (!device) throw new HttpError(404, `No device named ${hostname}.`);

  const [appRows, deploymentRows, eventRows, issueRows] = await Promise.all([
    db
      .select({ name: apps.name, version: deviceApps.version })
      .from(deviceApps)
      .innerJoin(apps, eq(apps.id, deviceApps.appId))
      .where(eq(deviceApps.deviceId, device.id))
      .orderBy(asc(apps.name)),
    db
      .select({
        update: updates.slug,
        updateTitle: updates.title,
        updateKind: updates.kind,
        updateProduct: updates.product,
        rolloutId: deployments.rolloutId,
        rolloutName: rollouts.name,
        wave: waves.name,
        waveStatus: waves.status,
        state: deployments.state,
        errorCode: deployments.errorCode,
        alert: deployments.alert,
        message: deployments.message,
        attempts: deployments.attempts,
        channel: deployments.channel,
        heldBy: knownIssues.advisoryId,
        lastReportedAt: deployments.lastReportedAt,
        stateOccurredAt: deployments.stateOccurredAt,
        // The build installed or being installed, and the one its wave targets (issue #17).
        buildId: deployments.buildId,
        buildName: sql<string | null>`(select b.name from builds b where b.id = ${deployments.buildId})`,
        buildVersion: sql<string | null>`(select b.version from builds b where b.id = ${deployments.buildId})`,
        targetBuildId: sql<number | null>`coalesce(${waves.buildId}, ${rollouts.buildId})`,
        targetBuildName: sql<string | null>`(select b.name from builds b where b.id = coalesce(${waves.buildId}, ${rollouts.buildId}))`,
      })
      .from(deployments)
      .innerJoin(updates, eq(updates.id, deployments.updateId))
      .leftJoin(rollouts, eq(rollouts.id, deployments.rolloutId))
      .leftJoin(waves, eq(waves.id, deployments.waveId))
      .leftJoin(knownIssues, eq(knownIssues.id, deployments.heldByIssueId))
      .where(eq(deployments.deviceId, device.id))
      .orderBy(asc(updates.title)),
    db
      .select({
        id: statusEvents.id,
        update: updates.slug,
        state: statusEvents.state,
        occurredAt: statusEvents.occurredAt,
        receivedAt: statusEvents.receivedAt,
        errorCode: statusEvents.errorCode,
        alert: statusEvents.alert,
        message: statusEvents.message,
        source: statusEvents.source,
        build: sql<string | null>`(select b.name from builds b where b.id = ${statusEvents.buildId})`,
      })
      .from(statusEvents)
      .innerJoin(updates, eq(updates.id, statusEvents.updateId))
      .where(eq(statusEvents.deviceId, device.id))
      .orderBy(desc(statusEvents.occurredAt), desc(statusEvents.id))
      .limit(100),
    txRows<{ advisory_id: string; title: string; status: string; severity: string; update: string; app: string; version: string; version_range: string }>(
      db,
      sql`select ki.advisory_id, ki.title, ki.status, ki.severity, u.slug as update, a.name as app, da.version, kia.version_range
          from device_apps da
          join apps a on a.id = da.app_id
          join known_issue_apps kia on kia.app_id = a.id or (kia.app_id is null and lower(kia.app_name) = lower(a.name))
          join known_issues ki on ki.id = kia.known_issue_id
          join updates u on u.id = ki.update_id
          where da.device_id = ${device.id}
          order by ki.advisory_id`,
    ),
  ]);
  const matchingKnownIssues: MatchingKnownIssue[] = issueRows
    .filter((r) => versionInRange(r.version, r.version_range))
    .map((r) => ({ advisoryId: r.advisory_id, title: r.title, status: r.status, severity: r.severity, update: r.update, app: r.app, installedVersion: r.version, versionRange: r.version_range }));

  const { id: _id, ...fields } = device;
  void _id;
  return {
    /** Internal id, for other DAL calls of the device page (e.g. known issues that affect it). */
    id: device.id,
    device: {
      ...fields,
      lastSeenAt: device.lastSeenAt?.toISOString() ?? null,
      lastReportedAt: device.lastReportedAt?.toISOString() ?? null,
      createdAt: device.createdAt.toISOString(),
      apps: appRows,
    },
    deployments: deploymentRows.map(({ updateProduct, stateOccurredAt, buildId, buildName, buildVersion, targetBuildId, targetBuildName, ...d }) => ({
      ...d,
      build: buildName ? { name: buildName, version: buildVersion ?? "" } : null,
      targetBuild: targetBuildName,
      /** Installed, behind: installed an older build than its wave now targets (never a failure, never done). */
      behind: d.state === "installed" && buildId !== null && targetBuildId !== null && buildId < Number(targetBuildId),
      remedy: d.alert ? ALERT_REMEDIES[d.alert as DeploymentAlert] : null,
      lastReportedAt: d.lastReportedAt?.toISOString() ?? null,
      /** When the distribution tool reported it installed (the occurrence of that report); null unless installed. */
      installedAt: d.state === "installed" ? (stateOccurredAt ?? d.lastReportedAt)?.toISOString() ?? null : null,
      /**
       * A service pack of the machine's own operating system: once installed, the machine runs it
       * whatever the inventory's last import says (the device page says both).
       */
      upgradesOperatingSystem: d.updateKind === "service_pack" && updateProduct.toLowerCase() === device.os.toLowerCase(),
    })),
    events: eventRows.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString(), receivedAt: e.receivedAt.toISOString() })),
    matchingKnownIssues,
  };
}
