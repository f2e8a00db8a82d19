// Small fixtures for the rollout, device and update tests (the demo seed is separate): a few
// sites, departments, an XP service pack with builds, devices, users per role.
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apps, builds, departments, deviceApps, devices, knownIssueApps, knownIssues, sites, updates, users } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import type { Role } from "@/db/schema";

export type FixtureDevice = {
  hostname: string;
  osName?: string;
  site?: string;
  department?: string | null;
  channel?: "network" | "offline_media" | "technician";
  tags?: string[];
  apps?: { name: string; version: string }[];
};

export async function makeUser(db: Db, role: Role): Promise<UserActor> {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@test.local`;
  const [user] = await db.insert(users).values({ email, name: role, role }).returning({ id: users.id });
  return { kind: "user", userId: user.id, email, name: role, role };
}

export async function makeCatalog(db: Db) {
  const siteRows = await db
    .insert(sites)
    .values([
      { name: "HQ", kind: "hq", linkKbps: 100_000 },
      { name: "Leeds", kind: "branch", linkKbps: 512 },
      { name: "York", kind: "branch", linkKbps: null },
      { name: "Home", kind: "home", linkKbps: null },
    ])
    .returning();
  const deptRows = await db.insert(departments).values([{ name: "IT" }, { name: "Sales" }, { name: "Finance" }]).returning();
  const [update] = await db
    .insert(updates)
    .values({ slug: "xp-sp2", title: "Windows XP Service Pack 2", vendor: "Microsoft", product: "Windows XP", kind: "service_pack", sizeBytes: 300_000_000, applicableOsNames: ["Windows XP"] })
    .returning();
  const buildRows = await db
    .insert(builds)
    .values([
      { updateId: update.id, name: "RC1", version: "5.1.2600.2055", kind: "rc" },
      { updateId: update.id, name: "Final", version: "5.1.2600.2180", kind: "final" },
    ])
    .returning();
  const site = (name: string) => siteRows.find((s) => s.name === name)!;
  const dept = (name: string) => deptRows.find((d) => d.name === name)!;
  return { sites: siteRows, departments: deptRows, update, builds: buildRows, site, dept };
}

export async function addDevices(db: Db, catalog: Awaited<ReturnType<typeof makeCatalog>>, list: FixtureDevice[]) {
  if (list.length === 0) return [];
  const rows = await db
    .insert(devices)
    .values(
      list.map((d) => ({
        hostname: d.hostname,
        osName: d.osName ?? "Windows XP",
        siteId: catalog.site(d.site ?? "HQ").id,
        departmentId: d.department === null ? null : catalog.dept(d.department ?? "Sales").id,
        channel: d.channel ?? "network",
        tags: d.tags ?? [],
      })),
    )
    .returning();
  for (const d of list) {
    for (const app of d.apps ?? []) {
      await db.insert(apps).values({ name: app.name }).onConflictDoNothing();
      const [a] = await db.select().from(apps).where(sql`lower(${apps.name}) = lower(${app.name})`);
      const device = rows.find((r) => r.hostname === d.hostname)!;
      await db.insert(deviceApps).values({ deviceId: device.id, appId: a.id, version: app.version });
    }
  }
  return rows;
}

export async function addKnownIssue(
  db: Db,
  updateId: number,
  input: { advisoryId: string; title: string; status?: "reported" | "confirmed" | "resolved"; blocking?: boolean; safeguardHold?: boolean; apps?: { name: string; versionRange: string }[] },
) {
  const [issue] = await db
    .insert(knownIssues)
    .values({
      advisoryId: input.advisoryId,
      title: input.title,
      updateId,
      status: input.status ?? "reported",
      blocking: input.blocking ?? false,
      safeguardHold: input.safeguardHold ?? false,
    })
    .returning();
  for (const app of input.apps ?? []) {
    await db.insert(knownIssueApps).values({ knownIssueId: issue.id, appName: app.name, versionRange: app.versionRange });
  }
  return issue;
}

/** Sets deployment states directly (as if ingest had applied reports) and keeps the summary exact. */
export async function setStates(db: Db, updateId: number, states: Record<string, string>) {
  for (const [hostname, state] of Object.entries(states)) {
    await db.execute(sql`update deployments set state = ${state}::deployment_state, last_reported_at = now()
      where update_id = ${updateId} and device_id = (select id from devices where lower(hostname) = lower(${hostname}))`);
  }
  const { recomputeSummaries } = await import("@/lib/deployments/summaries");
  await recomputeSummaries(db);
}
