// A small generated inventory for the known-issue and search tests: an SP2-like update, two
// sites, a few apps in several versions, a rollout of three waves planned by the rollout code
// (so deployments exist before any wave starts), and some failures with error codes.
// Deterministic, generated in code (no JSON blobs); `devices` doubles as the oracle the tests
// compare SQL answers with.
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import * as s from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { recomputeSummaries } from "@/lib/deployments/summaries";
import { syncRolloutDeployments } from "@/lib/rollouts/materialise";
import type { CreateKnownIssueInput } from "./validation";

export const CRM = "Microsoft Business Solutions CRM Sales for Outlook";
export const FIREWALL = "Sygate Personal Firewall";
export const OFFICE = "Microsoft Office 2003";
export const SP2 = "windows-xp-sp2";

export type FixtureDevice = {
  id: number;
  hostname: string;
  osName: string;
  site: "HQ" | "Leeds";
  department: "IT" | "Sales" | "Finance";
  apps: Record<string, string>;
};

export type Fixture = {
  editor: UserActor;
  helpdesk: UserActor;
  viewer: UserActor;
  updateId: number;
  rolloutId: number;
  waveIds: number[];
  devices: FixtureDevice[];
  /** device id → wave id, as planned. */
  waveOf: Map<number, number | null>;
  deviceByHost: Map<string, FixtureDevice>;
};

/** 40 HQ machines and 20 in Leeds; every 10th still runs Windows 2000 (not applicable). */
function generateDevices(): Omit<FixtureDevice, "id">[] {
  const out: Omit<FixtureDevice, "id">[] = [];
  for (let i = 1; i <= 60; i++) {
    const hq = i <= 40;
    const n = hq ? i : i - 40;
    const apps: Record<string, string> = { [OFFICE]: i % 3 === 0 ? "11.0.6361" : "11.0.5614" };
    if (i % 5 === 0) apps[CRM] = "1.2";
    else if (i % 7 === 0) apps[CRM] = "1.3";
    else if (i % 11 === 0) apps[CRM] = "1.2.4410";
    if (i % 4 === 0) apps[FIREWALL] = i % 8 === 0 ? "5.6.2808" : "5.5.2710";
    out.push({
      hostname: `${hq ? "HQ" : "BR1"}-WS-${String(n).padStart(4, "0")}`,
      osName: i % 10 === 0 ? "Windows 2000" : "Windows XP",
      site: hq ? "HQ" : "Leeds",
      department: i % 6 === 0 ? "IT" : i % 2 === 0 ? "Sales" : "Finance",
      apps,
    });
  }
  return out;
}

async function addUser(db: Db, role: s.Role, email: string): Promise<UserActor> {
  const [row] = await db.insert(s.users).values({ email, name: role, role }).returning({ id: s.users.id });
  return { kind: "user", userId: row.id, email, name: role, role };
}

export async function seedKnownIssueFixture(db: Db): Promise<Fixture> {
  const [editor, helpdesk, viewer] = [
    await addUser(db, "editor", "editor@test.local"),
    await addUser(db, "helpdesk", "helpdesk@test.local"),
    await addUser(db, "viewer", "viewer@test.local"),
  ];
  const [update] = await db
    .insert(s.updates)
    .values({
      slug: SP2,
      title: "Windows XP Service Pack 2",
      vendor: "Microsoft",
      product: "Windows XP",
      kind: "service_pack",
      kb: "KB835935",
      sizeBytes: 272_000_000,
      applicableOsNames: ["Windows XP"],
    })
    .returning({ id: s.updates.id });
  await db.insert(s.updates).values({
    slug: "office-2003-sp1",
    title: "Office 2003 Service Pack 1",
    vendor: "Microsoft",
    product: "Office 2003",
    kind: "application",
    kb: "KB842532",
  });
  const [build] = await db.insert(s.builds).values({ updateId: update.id, name: "RC2", version: "5.1.2600.2149", kind: "rc" }).returning({ id: s.builds.id });
  const siteRows = await db
    .insert(s.sites)
    .values([
      { name: "HQ", kind: "hq", linkKbps: 100_000 },
      { name: "Leeds", kind: "branch", linkKbps: 2048 },
    ])
    .returning({ id: s.sites.id, name: s.sites.name });
  const deptRows = await db
    .insert(s.departments)
    .values([{ name: "IT" }, { name: "Sales" }, { name: "Finance" }])
    .returning({ id: s.departments.id, name: s.departments.name });
  const siteId = (name: string) => siteRows.find((r) => r.name === name)!.id;
  const deptId = (name: string) => deptRows.find((r) => r.name === name)!.id;
  const appRows = await db
    .insert(s.apps)
    .values([
      { name: CRM, vendor: "Microsoft" },
      { name: FIREWALL, vendor: "Sygate" },
      { name: OFFICE, vendor: "Microsoft" },
    ])
    .returning({ id: s.apps.id, name: s.apps.name });
  const appId = (name: string) => appRows.find((r) => r.name === name)!.id;

  const generated = generateDevices();
  const inserted = await db
    .insert(s.devices)
    .values(generated.map((d) => ({ hostname: d.hostname, osName: d.osName, siteId: siteId(d.site), departmentId: deptId(d.department) })))
    .returning({ id: s.devices.id, hostname: s.devices.hostname });
  const devices: FixtureDevice[] = generated.map((d, i) => ({ ...d, id: inserted[i].id }));
  await db
    .insert(s.deviceApps)
    .values(devices.flatMap((d) => Object.entries(d.apps).map(([name, version]) => ({ deviceId: d.id, appId: appId(name), version }))));

  const [rollout] = await db.insert(s.rollouts).values({ updateId: update.id, buildId: build.id, name: "SP2 rollout" }).returning({ id: s.rollouts.id });
  const waveRows = await db
    .insert(s.waves)
    .values([
      { rolloutId: rollout.id, position: 0, name: "0 – IT pilot", targeting: { departmentIds: [deptId("IT")] } },
      { rolloutId: rollout.id, position: 1, name: "1 – headquarters", targeting: { siteIds: [siteId("HQ")] } },
      { rolloutId: rollout.id, position: 2, name: "2 – Leeds", targeting: { siteIds: [siteId("Leeds")] } },
    ])
    .returning({ id: s.waves.id });
  await db.transaction((tx) => syncRolloutDeployments(tx, rollout.id));

  // A few machines failed with "access denied", and reported it twice.
  const failing = devices.filter((d) => d.osName === "Windows XP" && d.department === "IT").slice(0, 3);
  for (const d of failing) {
    await db.execute(
      sql`update deployments set state = 'failed', error_code = '0x80070005', message = 'Access is denied' where device_id = ${d.id} and update_id = ${update.id}`,
    );
    for (const n of [1, 2]) {
      await db.insert(s.statusEvents).values({
        deviceId: d.id,
        updateId: update.id,
        state: "failed",
        occurredAt: new Date(Date.UTC(2004, 7, 10, 9, n)),
        errorCode: "0x80070005",
        source: "test",
        eventId: `${d.hostname}-${n}`,
      });
    }
  }

  await db.transaction((tx) => recomputeSummaries(tx));

  const planned = (await db.execute(sql`select device_id, wave_id from deployments where update_id = ${update.id}`)) as unknown as {
    rows: { device_id: number; wave_id: number | null }[];
  };
  return {
    editor,
    helpdesk,
    viewer,
    updateId: update.id,
    rolloutId: rollout.id,
    waveIds: waveRows.map((w) => w.id),
    devices,
    waveOf: new Map(planned.rows.map((r) => [r.device_id, r.wave_id])),
    deviceByHost: new Map(devices.map((d) => [d.hostname, d])),
  };
}

/** The CRM issue of the demo, as an editor would file it through the API. */
/** The CRM issue's create body; overrides may be invalid on purpose (the schema decides). */
export function crmIssueInput(overrides: Record<string, unknown> = {}): CreateKnownIssueInput {
  return {
    title: `${CRM} 1.2 does not work with SP2`,
    update: SP2,
    originKb: "KB835935",
    severity: "high",
    affectedPlatforms: ["Windows XP"],
    symptoms: "After SP2 the **CRM** toolbar is missing in Outlook and going offline fails.",
    workaround: "Use the CRM web client until the vendor update is applied.",
    affectedApps: [{ name: CRM, versionRange: "1.2" }],
    ...overrides,
  } as CreateKnownIssueInput;
}
