// The demo's users, catalog, inventory and rollout, written in the order their ids are expected.
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import * as s from "@/db/schema";
import type { Role, WaveTargeting } from "@/db/schema";
import {
  APPS,
  DEMO_EMAIL_DOMAIN,
  DEMO_ROLLOUT_NAME,
  DEMO_USERS,
  DEMO_WAVE_NAMES,
  DEPARTMENTS,
  OTHER_BUILDS,
  plannedReleaseDaysAgo,
  SITES,
  SP2_BUILDS,
  SP2_RELEASE_SLIPS,
  SP2_SLUG,
  UPDATES,
  type AppKey,
  type DevicePlan,
  type SiteKey,
  type UpdateKey,
} from "@/db/seed/demo";
import type { Transaction } from "@/db/tx";
import { demoWaveDates, insertDemoDateMoves } from "./demo-calendar";

/** `ago(days, hours)`: a moment before `now`. */
export type Ago = (days: number, hours?: number) => Date;

/** The calendar day (UTC) of a moment, as a date column takes it. */
const isoDay = (moment: Date) => moment.toISOString().slice(0, 10);

/** Vendors release in the afternoon (UTC) of the day. */
function releaseTime(ago: Ago, daysAgo: number): Date {
  const day = ago(daysAgo);
  return new Date(`${isoDay(day)}T17:00:00Z`);
}

export async function inChunks<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Callers seed only an empty database (isDatabaseEmpty); say so clearly rather than fail on a unique index. */
export async function refuseIfSeeded(tx: Transaction): Promise<void> {
  const clash = await queryRows<{ what: string }>(
    tx,
    sql`select 'the update ' || slug as what from updates where slug = ${SP2_SLUG}
        union all
        select 'the user ' || email from users where lower(email) in (${sql.join(DEMO_USERS.map((u) => sql`${u.email}`), sql`, `)})`,
  );
  if (clash.length) throw new Error(`The demo scenario is already (partly) in this database: ${clash.map((c) => c.what).join(", ")}.`);
}

/** The four demo users (one per role) with their password hashes; answers a role's user id. */
export async function insertUsers(tx: Transaction, hashes: string[], ago: Ago): Promise<(role: Role) => number | null> {
  await tx.insert(s.users).values(
    DEMO_USERS.map((u, i) => ({ email: u.email, name: u.name, role: u.role, passwordHash: hashes[i], createdAt: ago(90), updatedAt: ago(90) })),
  );
  const userRows = await tx.select({ id: s.users.id, email: s.users.email }).from(s.users);
  return (role: Role) => userRows.find((u) => u.email === `${role}@${DEMO_EMAIL_DOMAIN}`)?.id ?? null;
}

export type DemoCatalog = { updateIds: Record<UpdateKey, number>; buildId: (name: string) => number };

/** The updates, SP2's builds and release-date slips, and one final build of each other update. */
export async function insertCatalog(tx: Transaction, ago: Ago): Promise<DemoCatalog> {
  const updateIds = {} as Record<UpdateKey, number>;
  for (const key of Object.keys(UPDATES) as UpdateKey[]) {
    const plannedReleaseDate = isoDay(ago(plannedReleaseDaysAgo(key)));
    const [row] = await tx.insert(s.updates).values({ ...UPDATES[key], plannedReleaseDate, createdAt: ago(120), updatedAt: ago(100) }).returning({ id: s.updates.id });
    updateIds[key] = row.id;
  }
  const sp2Builds = await tx
    .insert(s.builds)
    .values(SP2_BUILDS.map((b) => ({ updateId: updateIds.sp2, name: b.name, version: b.version, kind: b.kind, releasedAt: releaseTime(ago, b.releasedDaysAgo) })))
    .returning({ id: s.builds.id, name: s.builds.name });
  const buildId = (name: string) => sp2Builds.find((b) => b.name === name)!.id;
  await tx.insert(s.builds).values(
    (Object.keys(OTHER_BUILDS) as Exclude<UpdateKey, "sp2">[]).map((k) => ({
      updateId: updateIds[k],
      name: OTHER_BUILDS[k].name,
      version: OTHER_BUILDS[k].version,
      kind: "final" as const,
      releasedAt: releaseTime(ago, OTHER_BUILDS[k].releasedDaysAgo),
    })),
  );
  await tx.insert(s.releaseDateChanges).values(
    SP2_RELEASE_SLIPS.map((r) => ({ updateId: updateIds.sp2, recordedAt: ago(r.recordedDaysAgo, 6), plannedDate: isoDay(ago(r.plannedDaysAgo)), note: r.note })),
  );
  return { updateIds, buildId };
}

export type DemoInventory = { siteId: Map<SiteKey, number>; appId: Map<AppKey, number>; deviceId: Map<string, number> };

/** Sites, departments, apps, the planned machines and what is installed on them. */
export async function insertInventory(tx: Transaction, devicePlans: DevicePlan[], ago: Ago): Promise<DemoInventory> {
  const siteRows = await tx
    .insert(s.sites)
    .values(SITES.map((site) => ({ name: site.name, kind: site.kind, linkKbps: site.linkKbps, distributionPoint: site.distributionPoint, createdAt: ago(100) })))
    .returning({ id: s.sites.id, name: s.sites.name });
  const siteId = new Map(SITES.map((site) => [site.key, siteRows.find((r) => r.name === site.name)!.id]));
  const departmentRows = await tx
    .insert(s.departments)
    .values(DEPARTMENTS.map((name) => ({ name, createdAt: ago(100) })))
    .returning({ id: s.departments.id, name: s.departments.name });
  const departmentId = new Map(departmentRows.map((d) => [d.name, d.id]));
  const appRows = await tx
    .insert(s.apps)
    .values(Object.values(APPS))
    .returning({ id: s.apps.id, name: s.apps.name });
  const appId = new Map((Object.keys(APPS) as AppKey[]).map((k) => [k, appRows.find((r) => r.name === APPS[k].name)!.id]));

  const deviceId = new Map<string, number>();
  await inChunks(devicePlans, 1000, async (chunk) => {
    const rows = await tx
      .insert(s.devices)
      .values(
        chunk.map((d) => ({
          hostname: d.hostname,
          osName: d.osName,
          osVersion: d.osVersion,
          siteId: siteId.get(d.site.key)!,
          departmentId: departmentId.get(d.department)!,
          channel: d.channel,
          tags: d.tags,
          lastSeenAt: d.lastSeenAt,
          lastReportedAt: d.lastReportedAt ?? null,
          createdAt: ago(100),
          updatedAt: d.lastSeenAt,
        })),
      )
      .returning({ id: s.devices.id, hostname: s.devices.hostname });
    for (const r of rows) deviceId.set(r.hostname, r.id);
  });
  const deviceApps = devicePlans.flatMap((d) =>
    (Object.entries(d.apps) as [AppKey, string][]).map(([app, version]) => ({ deviceId: deviceId.get(d.hostname)!, appId: appId.get(app)!, version })),
  );
  await inChunks(deviceApps, 5000, (chunk) => tx.insert(s.deviceApps).values(chunk));
  return { siteId, appId, deviceId };
}

export type DemoRollout = { rolloutId: number; waveId: (position: number) => number };

/**
 * The SP2 rollout and its four waves: the pilot done, headquarters under way, branches and home workers
 * planned, dated from the release (demo-calendar.ts) and moved by the slips recorded since it was planned.
 */
export async function insertRollout(
  tx: Transaction,
  ctx: { catalog: DemoCatalog; siteId: Map<SiteKey, number>; userId: (role: Role) => number | null; ago: Ago },
): Promise<DemoRollout> {
  const { catalog, siteId, userId, ago } = ctx;
  const { buildId } = catalog;
  const releaseDay = isoDay(ago(plannedReleaseDaysAgo("sp2")));
  // Planned before the second slip (RC2 late), so that slip and the next moved its waves.
  const createdAt = ago(76);
  const [rollout] = await tx
    .insert(s.rollouts)
    .values({ updateId: catalog.updateIds.sp2, buildId: buildId("Final"), name: DEMO_ROLLOUT_NAME, status: "active", createdBy: userId("editor"), createdAt, updatedAt: ago(14) })
    .returning({ id: s.rollouts.id });
  const branchIds = SITES.filter((x) => x.kind === "branch").map((x) => siteId.get(x.key)!);
  const xpOnly = { osNames: ["Windows XP"] };
  const waveValues: Omit<typeof s.waves.$inferInsert, "rolloutId">[] = [
    {
      position: 0,
      name: DEMO_WAVE_NAMES[0],
      buildId: buildId("Final"),
      status: "completed",
      targeting: { ...xpOnly, tags: ["pilot"] } satisfies WaveTargeting,
      plannedStartAt: ago(72),
      startedAt: ago(72),
      completedAt: ago(16),
      gatePassedAt: ago(27),
      gateMinSuccessPct: 80,
      gateMaxFailurePct: 20,
      gateMinAttempted: 5,
    },
    {
      position: 1,
      name: DEMO_WAVE_NAMES[1],
      buildId: buildId("Final"),
      status: "active",
      targeting: { ...xpOnly, siteIds: [siteId.get("hq")!] } satisfies WaveTargeting,
      ...demoWaveDates(1, releaseDay),
      startedAt: ago(14),
      gatePassedAt: ago(10),
      gateMinSuccessPct: 95,
      gateMaxFailurePct: 5,
      gateMinAttempted: 20,
      soakDays: 7,
    },
    {
      position: 2,
      name: DEMO_WAVE_NAMES[2],
      buildId: buildId("Final"),
      status: "planned",
      targeting: { ...xpOnly, siteIds: branchIds } satisfies WaveTargeting,
      ...demoWaveDates(2, releaseDay),
      gateMinSuccessPct: 95,
      gateMaxFailurePct: 5,
      gateMinAttempted: 20,
      soakDays: 7,
    },
    {
      position: 3,
      name: DEMO_WAVE_NAMES[3],
      buildId: buildId("Final"),
      status: "planned",
      targeting: { ...xpOnly, siteIds: [siteId.get("home")!] } satisfies WaveTargeting,
      ...demoWaveDates(3, releaseDay),
      gateMinSuccessPct: 95,
      gateMaxFailurePct: 5,
      gateMinAttempted: 20,
    },
  ];
  const waveRows = await tx
    .insert(s.waves)
    .values(waveValues.map((w) => ({ ...w, rolloutId: rollout.id, createdAt, updatedAt: ago(14) })))
    .returning({ id: s.waves.id, position: s.waves.position });
  const waveId = (position: number) => waveRows.find((w) => w.position === position)!.id;
  await insertDemoDateMoves(tx, { updateId: catalog.updateIds.sp2, rolloutCreatedAt: createdAt, waveId });
  return { rolloutId: rollout.id, waveId };
}
