// The demo scenario of PRODUCT.md ("The reference scenario"): Windows XP Service Pack 2 rolled
// out in four waves to ~2,000 machines, with its known issues and vendor fixes. Deterministic:
// the same `now` gives the same rows (the generated passwords are the only random part).
// The catalog keeps its 2004 dates (builds, release-date slips); what happens on the machines
// (waves, status reports, known-issue history) is placed in the weeks before `now`, so the
// dashboard looks live.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import * as s from "../schema";
import type { DeploymentState, Role, WaveTargeting } from "../schema";
import { recordAudit } from "@/lib/audit/log";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { eventKey, OUTCOME_STATES } from "@/lib/deployments/ingest-model";
import { recomputeSummaries } from "@/lib/deployments/summaries";
import { createRng, type Rng } from "./rng";

import type { DemoLogin } from "./demo-logins";

export { readDemoLogins, writeDemoLogins, type DemoLogin } from "./demo-logins";
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Alert = (typeof s.alertEnum.enumValues)[number];

const SEED = 20040806;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MB = 1024 * 1024;

export const DEMO_EMAIL_DOMAIN = "demo.rollcall.local";
export const DEMO_USERS: readonly { role: Role; name: string; email: string }[] = [
  { role: "admin", name: "Alex Admin", email: `admin@${DEMO_EMAIL_DOMAIN}` },
  { role: "editor", name: "Erin Editor", email: `editor@${DEMO_EMAIL_DOMAIN}` },
  { role: "helpdesk", name: "Harper Helpdesk", email: `helpdesk@${DEMO_EMAIL_DOMAIN}` },
  { role: "viewer", name: "Vic Viewer", email: `viewer@${DEMO_EMAIL_DOMAIN}` },
];

export const SP2_SLUG = "windows-xp-sp2";
export const DEMO_ROLLOUT_NAME = "XP SP2 rollout";
export const DEMO_WAVE_NAMES = [
  "0 – IT department pilot",
  "1 – headquarters",
  "2 – branch offices",
  "3 – home workers",
] as const;
export const CRM_APP_NAME = "Microsoft Business Solutions CRM Sales for Outlook";

// ---------------------------------------------------------------- catalog

type UpdateKey = "sp2" | "office" | "ie" | "nic";

const UPDATES: Record<UpdateKey, Omit<s.NewUpdate, "id">> = {
  sp2: {
    slug: SP2_SLUG,
    title: "Windows XP Service Pack 2",
    vendor: "Microsoft",
    product: "Windows XP",
    kind: "service_pack",
    kb: "KB835935",
    sizeBytes: 272 * MB,
    description:
      "Windows XP Service Pack 2 is a security-focused release, treated as an operating-system upgrade: " +
      "Windows Firewall on by default, Data Execution Prevention, a pop-up blocker and download warnings " +
      "in Internet Explorer, the Security Center, and Automatic Updates turned on. The network install " +
      "package is about 272 MB, so it is never offered to everyone at once.",
    vendorStatus: "Released to manufacturing (RTM); available through Windows Update and as a network install package.",
    plannedReleaseDate: "2004-08-06",
    applicableOsNames: ["Windows XP"],
  },
  office: {
    slug: "office-2003-sp1",
    title: "Microsoft Office 2003 Service Pack 1",
    vendor: "Microsoft",
    product: "Microsoft Office 2003",
    kind: "service_pack",
    kb: "KB842532",
    sizeBytes: 61 * MB,
    description: "Stability and security fixes for Office 2003, including the Outlook junk e-mail filter updates.",
    vendorStatus: "Released",
    plannedReleaseDate: "2004-07-27",
  },
  ie: {
    slug: "ms04-025-ie-cumulative",
    title: "Cumulative Security Update for Internet Explorer (MS04-025)",
    vendor: "Microsoft",
    product: "Internet Explorer 6",
    kind: "security",
    kb: "KB867801",
    sizeBytes: 3 * MB,
    description: "Fixes three remote code execution vulnerabilities in Internet Explorer 6 (navigation method cross-domain, image rendering, double-byte characters).",
    vendorStatus: "Released (critical)",
    plannedReleaseDate: "2004-07-30",
    applicableOsNames: ["Windows XP", "Windows 2000"],
  },
  nic: {
    slug: "intel-pro100-driver-7-1",
    title: "Intel PRO/100 VE network driver 7.1",
    vendor: "Intel",
    product: "Intel PRO/100 VE",
    kind: "driver",
    kb: null,
    sizeBytes: 5 * MB,
    description: "Network adapter driver for the HQ desktops' on-board Intel PRO/100 VE; fixes link drops after standby.",
    vendorStatus: "Released",
    plannedReleaseDate: "2004-06-15",
  },
};

const SP2_BUILDS = [
  { name: "RC1", version: "5.1.2600.2096", kind: "rc", releasedAt: "2004-03-16T17:00:00Z" },
  { name: "RC2", version: "5.1.2600.2149", kind: "rc", releasedAt: "2004-06-09T17:00:00Z" },
  { name: "Final", version: "5.1.2600.2180 (RTM)", kind: "final", releasedAt: "2004-08-06T17:00:00Z" },
] as const;

const SP2_RELEASE_SLIPS = [
  { recordedAt: "2004-03-16T12:00:00Z", plannedDate: "2004-06-30", note: "RC1 is out; Microsoft targets the end of June for the final release." },
  { recordedAt: "2004-05-26T12:00:00Z", plannedDate: "2004-07-30", note: "RC2 is late; the final release slips to July." },
  { recordedAt: "2004-07-08T12:00:00Z", plannedDate: "2004-08-06", note: "More RC2 feedback to address; release to manufacturing slips to August." },
] as const;

const OTHER_BUILDS: Record<Exclude<UpdateKey, "sp2">, { name: string; version: string; releasedAt: string }> = {
  office: { name: "Final", version: "11.0.6361.0", releasedAt: "2004-07-27T17:00:00Z" },
  ie: { name: "Final", version: "6.0.2800.1473", releasedAt: "2004-07-30T17:00:00Z" },
  nic: { name: "Final", version: "7.1.10.0", releasedAt: "2004-06-15T17:00:00Z" },
};

// ---------------------------------------------------------------- inventory

type SiteKey = "hq" | "br1" | "br2" | "br3" | "br4" | "br5" | "home";
type SitePlan = {
  key: SiteKey;
  name: string;
  kind: "hq" | "branch" | "home";
  linkKbps: number | null;
  distributionPoint: string | null;
  prefix: string;
  devices: number;
  win2000Share: number;
};

const SITES: readonly SitePlan[] = [
  { key: "hq", name: "Headquarters", kind: "hq", linkKbps: 100_000, distributionPoint: "HQ-SMS-01", prefix: "HQ", devices: 900, win2000Share: 0.07 },
  { key: "br1", name: "Leeds branch", kind: "branch", linkKbps: 2048, distributionPoint: "BR1-DP-01", prefix: "BR1", devices: 200, win2000Share: 0.12 },
  { key: "br2", name: "Bristol branch", kind: "branch", linkKbps: 1024, distributionPoint: "BR2-DP-01", prefix: "BR2", devices: 170, win2000Share: 0.12 },
  { key: "br3", name: "Glasgow branch", kind: "branch", linkKbps: 1024, distributionPoint: "BR3-DP-01", prefix: "BR3", devices: 160, win2000Share: 0.12 },
  { key: "br4", name: "Cardiff branch", kind: "branch", linkKbps: 512, distributionPoint: "BR4-DP-01", prefix: "BR4", devices: 130, win2000Share: 0.12 },
  { key: "br5", name: "Norwich branch", kind: "branch", linkKbps: 512, distributionPoint: "BR5-DP-01", prefix: "BR5", devices: 110, win2000Share: 0.12 },
  { key: "home", name: "Home workers", kind: "home", linkKbps: null, distributionPoint: null, prefix: "HOME", devices: 330, win2000Share: 0.04 },
];

const DEPARTMENTS = ["IT", "Finance", "Sales", "HR", "Engineering", "Operations", "Customer Service", "Legal", "Marketing"] as const;
type Department = (typeof DEPARTMENTS)[number];

const DEPARTMENT_WEIGHTS: Record<SitePlan["kind"], [Department, number][]> = {
  hq: [["Finance", 14], ["Sales", 12], ["HR", 6], ["Engineering", 22], ["Operations", 12], ["Customer Service", 10], ["Legal", 4], ["Marketing", 8], ["IT", 4]],
  branch: [["Sales", 35], ["Operations", 25], ["Customer Service", 25], ["Finance", 5], ["Engineering", 7], ["IT", 3]],
  home: [["Sales", 45], ["Engineering", 30], ["Customer Service", 10], ["Marketing", 10], ["IT", 5]],
};

type AppKey = "office2003" | "officeXp" | "crm" | "sygate" | "symantec" | "reader" | "iaa" | "sapgui" | "autocad" | "winzip";
const APPS: Record<AppKey, { name: string; vendor: string }> = {
  office2003: { name: "Microsoft Office 2003", vendor: "Microsoft" },
  officeXp: { name: "Microsoft Office XP", vendor: "Microsoft" },
  crm: { name: CRM_APP_NAME, vendor: "Microsoft" },
  sygate: { name: "Sygate Personal Firewall", vendor: "Sygate Technologies" },
  symantec: { name: "Symantec AntiVirus Corporate Edition", vendor: "Symantec" },
  reader: { name: "Adobe Reader", vendor: "Adobe" },
  iaa: { name: "Intel Application Accelerator", vendor: "Intel" },
  sapgui: { name: "SAP GUI for Windows", vendor: "SAP" },
  autocad: { name: "AutoCAD 2004", vendor: "Autodesk" },
  winzip: { name: "WinZip", vendor: "WinZip Computing" },
};

const PILOT_SIZE = 40;
/** Pilot machines (1-based HQ numbers) that carry the apps the known issues are about. */
const PILOT_WITH_CRM = [5, 12, 27];
const PILOT_WITH_IAA = [8, 33];

type DevicePlan = {
  hostname: string;
  site: SitePlan;
  department: Department;
  osName: "Windows XP" | "Windows 2000";
  osVersion: string;
  channel: "network" | "offline_media" | "technician";
  tags: string[];
  apps: Partial<Record<AppKey, string>>;
  laptop: boolean;
  lastSeenAt?: Date;
  lastReportedAt?: Date;
};

// ---------------------------------------------------------------- deployments and their events

type EventPlan = {
  state: DeploymentState;
  at: Date;
  errorCode?: string | null;
  alert?: Alert | null;
  message?: string | null;
};

type IssueKey = "crm" | "firewall" | "rc2";
type DeploymentPlan = {
  device: DevicePlan;
  update: UpdateKey;
  /** Wave position in the SP2 rollout; null when outside any wave. */
  wave: number | null;
  inRollout: boolean;
  events: EventPlan[];
  heldBy?: IssueKey;
  /** An editor released this device from the issue's safeguard hold. */
  releasedFrom?: { issue: IssueKey; at: Date; reason: string };
};

const FAILURES: readonly (readonly [{ errorCode: string; alert: Alert | null; message: string; stage: "download" | "install" }, number])[] = [
  [{ errorCode: "0x80070005", alert: null, message: "Access is denied: setup could not replace a file held open by another program", stage: "install" }, 4],
  [{ errorCode: "0x8007000E", alert: null, message: "Not enough memory to complete setup", stage: "install" }, 2],
  [{ errorCode: "0x80240022", alert: null, message: "The update failed to install (WU_E_ALL_UPDATES_FAILED)", stage: "install" }, 3],
  [{ errorCode: "0x80070070", alert: "disk_full", message: "There is not enough space on the system drive (setup needs about 1.8 GB)", stage: "install" }, 4],
  [{ errorCode: "0x80072EE2", alert: "download_timeout", message: "The download from the distribution point timed out", stage: "download" }, 3],
];

export async function seedDemo(db: Db, opts: { now?: Date } = {}): Promise<{ logins: DemoLogin[] }> {
  const now = opts.now ?? new Date();
  const T = now.getTime();
  const ago = (days: number, hours = 0) => new Date(T - days * DAY - hours * HOUR);
  const rng = createRng(SEED);

  // Hash first, in parallel, outside the transaction: argon2 is the slow part.
  const passwords = DEMO_USERS.map(() => generatePassword());
  const hashes = await Promise.all(passwords.map((p) => hashPassword(p)));

  const devicePlans = planDevices(rng, now);
  const plans = planDeployments(rng, devicePlans, now);

  await db.transaction(async (tx) => {
    // Callers seed only an empty database (isDatabaseEmpty); say so clearly rather than fail on a unique index.
    const clash = await queryRows<{ what: string }>(
      tx,
      sql`select 'the update ' || slug as what from updates where slug = ${SP2_SLUG}
          union all
          select 'the user ' || email from users where lower(email) in (${sql.join(DEMO_USERS.map((u) => sql`${u.email}`), sql`, `)})`,
    );
    if (clash.length) throw new Error(`The demo scenario is already (partly) in this database: ${clash.map((c) => c.what).join(", ")}.`);
    await tx.insert(s.users).values(
      DEMO_USERS.map((u, i) => ({ email: u.email, name: u.name, role: u.role, passwordHash: hashes[i], createdAt: ago(90), updatedAt: ago(90) })),
    );
    const userRows = await tx.select({ id: s.users.id, email: s.users.email }).from(s.users);
    const userId = (role: Role) => userRows.find((u) => u.email === `${role}@${DEMO_EMAIL_DOMAIN}`)?.id ?? null;

    // Catalog.
    const updateIds = {} as Record<UpdateKey, number>;
    for (const key of Object.keys(UPDATES) as UpdateKey[]) {
      const [row] = await tx.insert(s.updates).values({ ...UPDATES[key], createdAt: ago(100), updatedAt: ago(100) }).returning({ id: s.updates.id });
      updateIds[key] = row.id;
    }
    const sp2Builds = await tx
      .insert(s.builds)
      .values(SP2_BUILDS.map((b) => ({ updateId: updateIds.sp2, name: b.name, version: b.version, kind: b.kind, releasedAt: new Date(b.releasedAt) })))
      .returning({ id: s.builds.id, name: s.builds.name });
    const buildId = (name: string) => sp2Builds.find((b) => b.name === name)!.id;
    await tx.insert(s.builds).values(
      (Object.keys(OTHER_BUILDS) as Exclude<UpdateKey, "sp2">[]).map((k) => ({
        updateId: updateIds[k],
        name: OTHER_BUILDS[k].name,
        version: OTHER_BUILDS[k].version,
        kind: "final" as const,
        releasedAt: new Date(OTHER_BUILDS[k].releasedAt),
      })),
    );
    await tx.insert(s.releaseDateChanges).values(
      SP2_RELEASE_SLIPS.map((r) => ({ updateId: updateIds.sp2, recordedAt: new Date(r.recordedAt), plannedDate: r.plannedDate, note: r.note })),
    );

    // Inventory.
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

    // The rollout and its waves.
    const [rollout] = await tx
      .insert(s.rollouts)
      .values({ updateId: updateIds.sp2, buildId: buildId("Final"), name: DEMO_ROLLOUT_NAME, status: "active", createdBy: userId("editor"), createdAt: ago(75), updatedAt: ago(14) })
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
        plannedStartAt: ago(14),
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
        plannedStartAt: ago(-7),
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
        plannedStartAt: ago(-21),
        gateMinSuccessPct: 95,
        gateMaxFailurePct: 5,
        gateMinAttempted: 20,
      },
    ];
    const waveRows = await tx
      .insert(s.waves)
      .values(waveValues.map((w) => ({ ...w, rolloutId: rollout.id, createdAt: ago(75), updatedAt: ago(14) })))
      .returning({ id: s.waves.id, position: s.waves.position });
    const waveId = (position: number) => waveRows.find((w) => w.position === position)!.id;

    // Known issues.
    const issueIds = await insertKnownIssues(tx, { now, updateId: updateIds.sp2, buildId, appId, userId, deviceId, devicePlans });

    // Deployments and the status events behind their current state.
    let eventNo = 0;
    const eventRows: (typeof s.statusEvents.$inferInsert)[] = [];
    const deploymentRows: (typeof s.deployments.$inferInsert)[] = [];
    for (const plan of plans) {
      const devId = deviceId.get(plan.device.hostname)!;
      const updId = updateIds[plan.update];
      let last: (EventPlan & { eventId: string }) | undefined;
      for (const e of plan.events) {
        const eventId = `seed-${String(++eventNo).padStart(7, "0")}`;
        eventRows.push({
          deviceId: devId,
          updateId: updId,
          state: e.state,
          occurredAt: e.at,
          receivedAt: e.at,
          errorCode: e.errorCode ?? null,
          alert: e.alert ?? null,
          message: e.message ?? null,
          source: "seed",
          eventId,
        });
        last = { ...e, eventId };
      }
      deploymentRows.push({
        deviceId: devId,
        updateId: updId,
        rolloutId: plan.inRollout ? rollout.id : null,
        waveId: plan.wave === null ? null : waveId(plan.wave),
        state: last?.state ?? "pending",
        errorCode: last?.errorCode ?? null,
        alert: last?.alert ?? null,
        message: last?.message ?? null,
        attempts: plan.events.filter((e) => OUTCOME_STATES.includes(e.state)).length,
        channel: plan.device.channel,
        heldByIssueId: last?.state === "held" && plan.heldBy ? issueIds[plan.heldBy] : null,
        stateOccurredAt: last?.at ?? null,
        stateEventKey: last ? eventKey("seed", last.eventId, "") : null,
        lastReportedAt: last?.at ?? null,
        createdAt: plan.update === "sp2" ? ago(75) : ago(40),
        updatedAt: last?.at ?? ago(40),
      });
    }
    await inChunks(deploymentRows, 1000, (chunk) => tx.insert(s.deployments).values(chunk));
    await inChunks(eventRows, 1000, (chunk) => tx.insert(s.statusEvents).values(chunk));
    const releases = plans.filter((p) => p.releasedFrom);
    if (releases.length) {
      await tx.insert(s.safeguardHoldReleases).values(
        releases.map((p) => ({
          knownIssueId: issueIds[p.releasedFrom!.issue],
          deviceId: deviceId.get(p.device.hostname)!,
          reason: p.releasedFrom!.reason,
          releasedBy: userId("editor"),
          releasedByLabel: `editor@${DEMO_EMAIL_DOMAIN}`,
          releasedAt: p.releasedFrom!.at,
        })),
      );
    }

    // CD-ROMs posted to home workers, in the batches the scheduled deployments name.
    const shipped = new Map<string, number>();
    for (const p of plans) {
      const batch = p.wave === 3 ? p.events.at(-1)?.message?.match(/batch (HOME-CD-\d+)/)?.[1] : undefined;
      if (batch) shipped.set(batch, (shipped.get(batch) ?? 0) + 1);
    }
    await tx.insert(s.mediaShipments).values(
      MEDIA_BATCHES.filter((b) => shipped.has(b.name)).map((b) => ({
        waveId: waveId(3),
        batch: b.name,
        shippedAt: b.shippedAt(now),
        deviceCount: shipped.get(b.name)!,
        note: b.note,
        createdAt: b.shippedAt(now),
      })),
    );

    await recordAudit(tx, { kind: "system", label: "seed" }, {
      action: "seed.demo",
      targetType: "database",
      after: { devices: devicePlans.length, deployments: deploymentRows.length, statusEvents: eventRows.length },
    });
    await recomputeSummaries(tx);
  });
  return { logins: DEMO_USERS.map((u, i) => ({ role: u.role, email: u.email, password: passwords[i] })) };
}

// ---------------------------------------------------------------- planning (pure, deterministic)

function planDevices(rng: Rng, now: Date): DevicePlan[] {
  const out: DevicePlan[] = [];
  for (const site of SITES) {
    const counters = { WS: 0, LT: 0 };
    for (let i = 0; i < site.devices; i++) {
      const pilot = site.kind === "hq" && i < PILOT_SIZE;
      const laptop = site.kind === "home" || (!pilot && rng.chance(site.kind === "hq" ? 0.12 : 0.1));
      const kind = laptop ? "LT" : "WS";
      const hostname = `${site.prefix}-${kind}-${String(++counters[kind]).padStart(4, "0")}`;
      const department: Department = pilot ? "IT" : rng.weighted(DEPARTMENT_WEIGHTS[site.kind]);
      const win2000 = !pilot && rng.chance(site.win2000Share);
      const channel = site.kind === "home" ? (rng.chance(0.8) ? "offline_media" : "technician") : "network";

      const tags: string[] = [];
      if (pilot) tags.push("pilot");
      if (laptop) tags.push("laptop");
      if (site.kind === "hq" && (department === "Legal" || department === "Finance") && rng.chance(0.1)) tags.push("vip");
      if (site.kind === "branch" && department === "Customer Service" && rng.chance(0.08)) tags.push("kiosk");
      if (department === "Finance") tags.push("finance");

      const apps: DevicePlan["apps"] = {};
      if (rng.chance(0.86)) apps.office2003 = "11.0.5614.0";
      else apps.officeXp = "10.0.6626.0";
      const crmShare = department === "Sales" ? 0.2 : department === "IT" ? 0.05 : 0.01;
      if (pilot ? PILOT_WITH_CRM.includes(i + 1) : rng.chance(crmShare)) apps.crm = "1.2";
      const sygateShare = site.kind === "home" ? 0.45 : laptop ? 0.2 : 0.03;
      if (!pilot && rng.chance(sygateShare)) apps.sygate = "5.5";
      if (!apps.sygate && rng.chance(0.95)) apps.symantec = "9.0.0.338";
      if (rng.chance(0.7)) apps.reader = rng.pick(["6.0.1", "6.0.2"]);
      if (pilot ? PILOT_WITH_IAA.includes(i + 1) : !laptop && rng.chance(0.04)) apps.iaa = "2.3";
      if (department === "Finance" && rng.chance(0.9)) apps.sapgui = "6.20";
      if (department === "Engineering" && rng.chance(0.6)) apps.autocad = "16.0";
      if (rng.chance(0.4)) apps.winzip = "9.0";

      const seenHoursAgo = site.kind === "home" ? rng.int(1, 24 * 9) : rng.int(0, 60);
      out.push({
        hostname,
        site,
        department,
        osName: win2000 ? "Windows 2000" : "Windows XP",
        osVersion: win2000 ? "5.0 SP4" : "5.1 SP1",
        channel,
        tags,
        apps,
        laptop,
        lastSeenAt: new Date(now.getTime() - seenHoursAgo * HOUR - rng.int(0, 59) * MINUTE),
      });
    }
  }
  return out;
}

const MEDIA_BATCHES = [
  { name: "HOME-CD-01", shippedAt: (now: Date) => new Date(now.getTime() - 5 * DAY - 6 * HOUR), note: "CD-ROMs posted to home workers in the North; ask them to keep the disc until their wave starts." },
  { name: "HOME-CD-02", shippedAt: (now: Date) => new Date(now.getTime() - 2 * DAY - 5 * HOUR), note: "Second batch posted; the rest collect a disc at the nearest office." },
];

function planDeployments(rng: Rng, devices: DevicePlan[], now: Date): DeploymentPlan[] {
  const T = now.getTime();
  const at = (ms: number) => new Date(Math.round(ms / 1000) * 1000);
  const ago = (days: number) => T - days * DAY;
  const plans: DeploymentPlan[] = [];
  const sp2 = UPDATES.sp2;
  const sizeMb = Math.round(sp2.sizeBytes! / MB);

  const source = (d: DevicePlan) => (d.channel === "network" ? d.site.distributionPoint : d.channel === "offline_media" ? "CD-ROM" : "a technician's CD-ROM");
  /** One installation attempt from `t0`; ends in `outcome`. Steps are minutes apart, in order. */
  const attempt = (
    d: DevicePlan,
    t0: number,
    build: (typeof SP2_BUILDS)[number],
    outcome: "downloading" | "installing" | "reboot_required" | "installed" | "failed" | "rolled_back",
    failure?: { errorCode: string; alert: Alert | null; message: string; stage: "download" | "install" },
  ): EventPlan[] => {
    const label = `Windows XP SP2 ${build.name} (${build.version})`;
    const events: EventPlan[] = [{ state: "downloading", at: at(t0), message: `Downloading ${label}, ${sizeMb} MB from ${source(d)}` }];
    let t = t0 + rng.int(8, 40) * MINUTE;
    if (outcome === "downloading") return events;
    if (outcome === "failed" && failure?.stage === "download") {
      events.push({ state: "failed", at: at(t + rng.int(30, 90) * MINUTE), errorCode: failure.errorCode, alert: failure.alert, message: failure.message });
      return events;
    }
    events.push({ state: "installing", at: at(t), message: `Installing ${label}` });
    t += rng.int(15, 45) * MINUTE;
    if (outcome === "installing") return events;
    if (outcome === "failed") {
      events.push({ state: "failed", at: at(t), errorCode: failure!.errorCode, alert: failure!.alert, message: failure!.message });
      return events;
    }
    events.push({ state: "reboot_required", at: at(t), message: "Setup finished; restart required" });
    if (outcome === "reboot_required") return events;
    t += rng.weighted([[rng.int(2, 30), 3], [rng.int(60, 16 * 60), 1]] as const) * MINUTE;
    if (outcome === "rolled_back") {
      events.push({ state: "rolled_back", at: at(t), errorCode: failure?.errorCode ?? null, alert: "rollback_initiated", message: failure?.message ?? "Setup rolled the machine back to its previous state" });
      return events;
    }
    events.push({ state: "installed", at: at(t), message: `${label} installed` });
    return events;
  };
  const [rc1, rc2, final] = SP2_BUILDS;

  let hqRolledBack = 0;
  let releasedOne = false;
  for (const d of devices) {
    const base = { device: d, update: "sp2" as const, inRollout: true };
    if (d.osName === "Windows 2000") {
      plans.push({ ...base, wave: null, events: [{ state: "not_applicable", at: at(ago(74) + rng.int(0, 600) * MINUTE), message: "Windows XP Service Pack 2 does not apply to Windows 2000 (5.0 SP4)" }] });
      continue;
    }
    const wave = d.tags.includes("pilot") ? 0 : d.site.kind === "hq" ? 1 : d.site.kind === "branch" ? 2 : 3;
    const holdPlaced = ago(43) + rng.int(0, 120) * MINUTE;
    const held: EventPlan = { state: "held", at: at(holdPlaced), alert: "safeguard_hold", message: "Safeguard hold SH-2004-07 (RC-0003): Intel Application Accelerator 2.3 is installed" };

    if (wave === 0) {
      // The pilot ran RC1, then RC2, then the final build: "if we have issues with RC2, better it happens to us".
      const events = [...attempt(d, ago(72) + rng.int(0, 2 * 24 * 60) * MINUTE, rc1, "installed")];
      if (d.apps.iaa) {
        events.push(...attempt(d, ago(50) + rng.int(0, 12 * 60) * MINUTE, rc2, "rolled_back", {
          errorCode: "0x0000007E",
          alert: "rollback_initiated",
          message: "STOP 0x0000007E at the first restart after RC2; setup rolled back to SP1",
          stage: "install",
        }));
        events.push(held);
        plans.push({ ...base, wave, events, heldBy: "rc2" });
        continue;
      }
      events.push(...attempt(d, ago(49) + rng.int(0, 2 * 24 * 60) * MINUTE, rc2, "installed"));
      if (d.apps.crm) {
        // RC-0001 held the CRM machines back from the final build until the vendor fix came out.
        events.push({ state: "held", at: at(ago(45) + rng.int(0, 60) * MINUTE), alert: "safeguard_hold", message: "Safeguard hold SH-2004-06 (RC-0001): CRM Sales for Outlook 1.2 is installed" });
        events.push(...attempt(d, ago(17) + rng.int(0, 20 * 60) * MINUTE, final, "installed"));
        plans.push({ ...base, wave, events });
        continue;
      }
      const finalStart = ago(29) + rng.int(0, 36 * 60) * MINUTE;
      if (rng.chance(0.08)) {
        events.push(...attempt(d, finalStart, final, "failed", FAILURES[1][0]));
        events.push(...attempt(d, finalStart + rng.int(20, 30) * HOUR, final, "installed"));
      } else {
        events.push(...attempt(d, finalStart, final, "installed"));
      }
      plans.push({ ...base, wave, events });
      continue;
    }
    if (d.apps.iaa) {
      if (wave === 2 && !releasedOne) {
        // An editor may release a single device: this one was checked with Intel's updated driver.
        releasedOne = true;
        const reason = "Intel Application Accelerator updated to 3.0 and tested with SP2 in the lab.";
        const releasedAt = at(ago(3) + rng.int(0, 120) * MINUTE);
        plans.push({
          ...base,
          wave,
          events: [held, { state: "pending", at: releasedAt, message: `Released from safeguard hold SH-2004-07: ${reason}` }],
          releasedFrom: { issue: "rc2", at: releasedAt, reason },
        });
        continue;
      }
      plans.push({ ...base, wave, events: [held], heldBy: "rc2" });
      continue;
    }
    if (wave === 1) {
      plans.push({ ...base, wave, events: planHqDeployment(d) });
      continue;
    }
    if (wave === 2) {
      plans.push({ ...base, wave, events: [] });
      continue;
    }
    // Home workers: CD-ROMs posted to part of them, the rest wait.
    const batch = d.channel === "offline_media" ? rng.weighted([[MEDIA_BATCHES[0], 3], [MEDIA_BATCHES[1], 2], [null, 5]]) : null;
    const events: EventPlan[] = batch
      ? [{ state: "scheduled", at: at(batch.shippedAt(now).getTime() + rng.int(0, 90) * MINUTE), message: `CD-ROM posted in batch ${batch.name}; installs when the wave starts` }]
      : [];
    plans.push({ ...base, wave, events });
  }

  function planHqDeployment(d: DevicePlan): EventPlan[] {
    // The first two machines with the Sygate firewall rolled back: that is how RC-0002 was found.
    if (d.apps.sygate && hqRolledBack < 2) {
      hqRolledBack++;
      return attempt(d, ago(12) + rng.int(0, 8 * 60) * MINUTE, final, "rolled_back", {
        errorCode: "0x800F0922",
        alert: "rollback_initiated",
        message: "Network stack failed to start after the restart (Sygate Personal Firewall 5.5); setup rolled back",
        stage: "install",
      });
    }
    const outcome = rng.weighted([
      ["installed", 76],
      ["reboot_required", 5],
      ["installing", 2],
      ["downloading", 3],
      ["scheduled", 4],
      ["pending", 6],
      ["failed", 2.5],
      ["deferred", 1.5],
    ] as const);
    // Earlier days of the wave took most machines: an adoption curve, not a flat line.
    const finishedStart = () => ago(14) + Math.pow(rng.next(), 1.6) * (13 * DAY);
    switch (outcome) {
      case "pending":
        return [];
      case "scheduled":
        return [{ state: "scheduled", at: at(ago(1) + rng.int(0, 18 * 60) * MINUTE), message: "Scheduled for tonight's maintenance window (22:00–04:00)" }];
      case "deferred":
        return [{ state: "deferred", at: at(ago(3) + rng.int(0, 24 * 60) * MINUTE), message: "Deferred by the user until after the month-end close" }];
      case "installed":
        return attempt(d, finishedStart(), final, "installed");
      case "failed": {
        const failure = rng.weighted(FAILURES);
        const first = attempt(d, finishedStart(), final, "failed", failure);
        // Some were retried the next day and failed the same way.
        const retryAt = first.at(-1)!.at.getTime() + rng.int(18, 30) * HOUR;
        return rng.chance(0.4) && retryAt < T - 3 * HOUR ? [...first, ...attempt(d, retryAt, final, "failed", failure)] : first;
      }
      case "reboot_required":
        return attempt(d, ago(2) + rng.int(0, 30 * 60) * MINUTE, final, outcome);
      default:
        return attempt(d, T - rng.int(2 * 60, 8 * 60) * MINUTE, final, outcome);
    }
  }

  // A richer catalog: smaller updates with a few deployments each (no rollout).
  for (const d of devices) {
    const hqNo = d.site.kind === "hq" ? Number(d.hostname.slice(-4)) : 0;
    if (d.osName === "Windows XP" && d.tags.includes("pilot")) {
      plans.push({ device: d, update: "ie", wave: null, inRollout: false, events: simpleInstall(d, "MS04-025", ago(35), 2 * DAY, "installed") });
    }
    if (d.apps.office2003 && d.site.kind === "hq" && (d.department === "Finance" || d.department === "IT")) {
      const outcome = rng.weighted([["installed", 85], ["failed", 4], ["pending", 11]] as const);
      plans.push({
        device: d,
        update: "office",
        wave: null,
        inRollout: false,
        events: outcome === "pending" ? [] : simpleInstall(d, "Office 2003 SP1", ago(20), 12 * DAY, outcome),
      });
    }
    if (d.hostname.startsWith("HQ-WS-") && hqNo > PILOT_SIZE && hqNo <= PILOT_SIZE + 60) {
      const outcome = rng.weighted([["installed", 70], ["failed", 5], ["pending", 25]] as const);
      plans.push({
        device: d,
        update: "nic",
        wave: null,
        inRollout: false,
        events: outcome === "pending" ? [] : simpleInstall(d, "Intel PRO/100 VE driver 7.1", ago(9), 6 * DAY, outcome),
      });
    }
  }

  function simpleInstall(d: DevicePlan, label: string, from: number, spread: number, outcome: "installed" | "failed"): EventPlan[] {
    const t0 = from + rng.next() * spread;
    const events: EventPlan[] = [
      { state: "downloading", at: at(t0), message: `Downloading ${label} from ${source(d)}` },
      { state: "installing", at: at(t0 + rng.int(2, 10) * MINUTE), message: `Installing ${label}` },
    ];
    const end = t0 + rng.int(12, 30) * MINUTE;
    events.push(
      outcome === "installed"
        ? { state: "installed", at: at(end), message: `${label} installed` }
        : { state: "failed", at: at(end), errorCode: "0x80070643", message: "Fatal error during installation (0x80070643)" },
    );
    return events;
  }

  // Every deployment's events run forward in time and end before `now`; the device's last report is its latest event.
  for (const plan of plans) {
    for (let i = 0; i < plan.events.length; i++) {
      const e = plan.events[i];
      if (e.at.getTime() > T || (i > 0 && e.at.getTime() <= plan.events[i - 1].at.getTime())) {
        throw new Error(`demo seed: events of ${plan.device.hostname}/${plan.update} are out of order`);
      }
    }
    const last = plan.events.at(-1)?.at;
    if (last && (!plan.device.lastReportedAt || last > plan.device.lastReportedAt)) plan.device.lastReportedAt = last;
  }
  for (const d of devices) {
    if (d.lastReportedAt && d.lastSeenAt! < d.lastReportedAt) d.lastSeenAt = d.lastReportedAt;
  }
  return plans;
}

// ---------------------------------------------------------------- known issues

async function insertKnownIssues(
  tx: Tx,
  ctx: {
    now: Date;
    updateId: number;
    buildId: (name: string) => number;
    appId: Map<AppKey, number>;
    userId: (role: Role) => number | null;
    deviceId: Map<string, number>;
    devicePlans: DevicePlan[];
  },
): Promise<Record<IssueKey, number>> {
  const T = ctx.now.getTime();
  const ago = (days: number, hours = 0) => new Date(T - days * DAY - hours * HOUR);
  const editor = { actorUserId: ctx.userId("editor"), actorLabel: `editor@${DEMO_EMAIL_DOMAIN}` };
  const helpdesk = { actorUserId: ctx.userId("helpdesk"), actorLabel: `helpdesk@${DEMO_EMAIL_DOMAIN}` };

  const [crm, firewall, rc2] = await tx
    .insert(s.knownIssues)
    .values([
      {
        advisoryId: "RC-0001",
        title: `${CRM_APP_NAME} 1.2 does not work with SP2`,
        updateId: ctx.updateId,
        buildId: ctx.buildId("RC2"),
        originKb: "KB835935",
        resolvingKb: "KB885000",
        status: "resolved_external",
        severity: "high",
        affectedPlatforms: ["Windows XP SP2"],
        symptoms:
          "After Windows XP SP2 is installed, **CRM Sales for Outlook 1.2** no longer loads in Outlook:\n\n" +
          "- the *CRM* toolbar and menu are missing;\n- going offline fails with *\"The CRM server cannot be reached\"*;\n" +
          "- Outlook may show the add-in as disabled.",
        workaround: "Before SP2 is offered to a machine with the add-in, apply the vendor update below. Until then, users can work in the CRM web client.",
        resolution:
          "Microsoft published an update for **Microsoft Business Solutions CRM 1.2 Sales for Outlook** that supports Windows XP SP2 " +
          "(see the fix link). Deploy it first; the safeguard hold SH-2004-06 is lifted.",
        safeguardHold: false,
        safeguardHoldId: "SH-2004-06",
        createdAt: ago(49),
        updatedAt: ago(18),
        resolvedAt: ago(18),
      },
      {
        advisoryId: "RC-0002",
        title: "Some third-party firewall software breaks networking after SP2",
        updateId: ctx.updateId,
        buildId: ctx.buildId("Final"),
        originKb: "KB835935",
        status: "mitigated",
        severity: "medium",
        affectedPlatforms: ["Windows XP SP2"],
        symptoms:
          "On machines running **Sygate Personal Firewall 5.5**, the network does not come up after the SP2 restart; " +
          "setup rolls the machine back (`0x800F0922`, alert *rollback_initiated*).",
        workaround:
          "1. Upgrade Sygate Personal Firewall to **5.6 build 2808** (see the fix link) *before* SP2, or\n" +
          "2. uninstall it and rely on the Windows Firewall that SP2 turns on.\n\nThen retry the installation.",
        createdAt: ago(11),
        updatedAt: ago(8),
      },
      {
        advisoryId: "RC-0003",
        title: "RC2 testers report serious disruption on some workstations",
        updateId: ctx.updateId,
        buildId: ctx.buildId("RC2"),
        originKb: "KB835935",
        status: "investigating",
        severity: "critical",
        affectedPlatforms: ["Windows XP SP1"],
        symptoms:
          "Two IT pilot workstations stopped with **STOP 0x0000007E** at the first restart after RC2, and setup rolled them back. " +
          "Both have **Intel Application Accelerator 2.3** installed.",
        workaround: "None yet. Machines with Intel Application Accelerator 2.3 are held (safeguard hold **SH-2004-07**) and are not offered SP2.",
        safeguardHold: true,
        safeguardHoldId: "SH-2004-07",
        createdAt: ago(50),
        updatedAt: ago(43),
      },
    ])
    .returning({ id: s.knownIssues.id });

  await tx.insert(s.knownIssueApps).values([
    { knownIssueId: crm.id, appId: ctx.appId.get("crm")!, appName: CRM_APP_NAME, versionRange: "1.2" },
    { knownIssueId: firewall.id, appId: ctx.appId.get("sygate")!, appName: APPS.sygate.name, versionRange: "5.5" },
    { knownIssueId: rc2.id, appId: ctx.appId.get("iaa")!, appName: APPS.iaa.name, versionRange: "2.3" },
  ]);

  await tx.insert(s.knownIssueFixLinks).values([
    {
      knownIssueId: crm.id,
      vendor: "Microsoft",
      title: "Update for Microsoft Business Solutions CRM 1.2 Sales for Outlook on Windows XP SP2 (KB885000)",
      url: "https://support.microsoft.com/kb/885000",
      type: "patch",
      publishedAt: ago(19),
    },
    {
      knownIssueId: firewall.id,
      vendor: "Sygate Technologies",
      title: "Sygate Personal Firewall 5.6 build 2808 (Windows XP SP2 support)",
      url: "https://www.sygate.com/products/spf_5.6_build2808.htm",
      type: "download",
      publishedAt: ago(9),
    },
  ]);

  const status = (from: string | null, to: string) => ({ field: "status", fromValue: from, toValue: to });
  const hold = (from: boolean, to: boolean) => ({ field: "safeguardHold", fromValue: String(from), toValue: String(to) });
  await tx.insert(s.knownIssueHistory).values([
    { knownIssueId: crm.id, at: ago(49), ...helpdesk, ...status(null, "reported"), note: "Three IT pilot machines lost the CRM toolbar in Outlook after RC2." },
    { knownIssueId: crm.id, at: ago(47), ...editor, ...status("reported", "investigating"), note: "Reproduced on HQ-WS-0005 with CRM Sales for Outlook 1.2." },
    { knownIssueId: crm.id, at: ago(45), ...editor, ...status("investigating", "confirmed"), note: "Confirmed by Microsoft Business Solutions support: 1.2 is not compatible with SP2." },
    { knownIssueId: crm.id, at: ago(45), ...editor, ...hold(false, true), note: "Safeguard hold SH-2004-06 on machines with the add-in." },
    { knownIssueId: crm.id, at: ago(18), ...editor, ...status("confirmed", "resolved_external"), note: "Microsoft published a fix (KB885000); deploy it before SP2." },
    { knownIssueId: crm.id, at: ago(18), ...editor, ...hold(true, false), note: "Hold lifted: the vendor fix exists. Impact analysis still flags machines that lack it." },
    { knownIssueId: firewall.id, at: ago(11), ...helpdesk, ...status(null, "reported"), note: "Two HQ machines rolled back SP2; both run Sygate Personal Firewall 5.5." },
    { knownIssueId: firewall.id, at: ago(10), ...editor, ...status("reported", "investigating"), note: "Reproduced in the lab; Windows Firewall and Sygate both bind to the network stack." },
    { knownIssueId: firewall.id, at: ago(8), ...editor, ...status("investigating", "mitigated"), note: "Workaround: upgrade to Sygate 5.6 build 2808 first, or uninstall it." },
    { knownIssueId: rc2.id, at: ago(50), ...helpdesk, ...status(null, "reported"), note: "Pilot machines blue-screened (STOP 0x7E) after the RC2 restart." },
    { knownIssueId: rc2.id, at: ago(43), ...editor, ...status("reported", "investigating"), note: "Both have Intel Application Accelerator 2.3; Intel is looking at it." },
    { knownIssueId: rc2.id, at: ago(43), ...editor, ...hold(false, true), note: "Safeguard hold SH-2004-07 on machines with Intel Application Accelerator 2.3." },
  ]);

  const pilotHost = (n: number) => `HQ-WS-${String(n).padStart(4, "0")}`;
  // The first HQ machine that rolled back because of the firewall (see planHqDeployment).
  const rolledBackHq = ctx.devicePlans.find((d) => d.site.kind === "hq" && !d.tags.includes("pilot") && d.apps.sygate && !d.apps.iaa && d.osName === "Windows XP");
  const report = (issue: number, hostname: string, ticketRef: string, note: string, at: Date) => ({
    knownIssueId: issue,
    deviceId: ctx.deviceId.get(hostname) ?? null,
    ticketRef,
    note,
    reportedBy: helpdesk.actorUserId,
    createdAt: at,
  });
  await tx.insert(s.helpdeskReports).values([
    report(rc2.id, pilotHost(PILOT_WITH_IAA[0]), "HD-10388", "Blue screen at the restart after RC2; machine came back on SP1.", ago(50, 3)),
    report(rc2.id, pilotHost(PILOT_WITH_IAA[1]), "HD-10391", "Same blue screen (STOP 0x7E) on a second pilot workstation.", ago(50, 1)),
    report(crm.id, pilotHost(PILOT_WITH_CRM[0]), "HD-10412", "CRM toolbar gone from Outlook since RC2.", ago(49, 2)),
    report(crm.id, pilotHost(PILOT_WITH_CRM[1]), "HD-10419", "Cannot go offline in CRM Sales for Outlook after RC2.", ago(48)),
    ...(rolledBackHq ? [report(firewall.id, rolledBackHq.hostname, "HD-11020", "No network after the SP2 restart; setup rolled back. Sygate 5.5 installed.", ago(11, 4))] : []),
  ]);

  return { crm: crm.id, firewall: firewall.id, rc2: rc2.id };
}

// ---------------------------------------------------------------- helpers for the CLI and the start script

async function inChunks<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** True when there is nothing to lose: no updates and no users (the start script seeds the demo then). */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ empty: boolean }>(db, sql`select not exists (select 1 from updates) and not exists (select 1 from users) as empty`);
  return row.empty;
}

