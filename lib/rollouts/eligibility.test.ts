// Eligibility with the rollout controls (issues #17 and #18): every reason, the build to install,
// "installed, behind", the update's emergency pause and the wave's ramp (property: exactly N new
// machines a day, in a stable order spread over sites).
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { builds, deployments, devices, updates, waves } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { pauseUpdate, resumeUpdate } from "@/lib/updates/pause";
import { ELIGIBILITY_REASONS, getEligibility, type EligibilityReason } from "./eligibility";
import { performWaveAction } from "./lifecycle";
import { saveRolloutPlan } from "./plan";
import { assignRampPositions } from "./ramp";
import { addDevices, addKnownIssue, makeCatalog, makeUser, setStates, type FixtureDevice } from "@/test/support/fixtures/catalog";

const DAY = 86_400_000;

describe.each(testDbKinds)("eligibility with builds, pause and ramp on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let rolloutId: number;
  let waveIds: number[];
  const seen = new Set<EligibilityReason>();

  const fleet: FixtureDevice[] = [
    ...Array.from({ length: 4 }, (_, i) => ({ hostname: `IT-${i}`, department: "IT" })),
    ...Array.from({ length: 6 }, (_, i) => ({ hostname: `HQ-${i}`, department: "Sales" })),
    ...Array.from({ length: 3 }, (_, i) => ({ hostname: `LDS-${i}`, site: "Leeds", department: "Sales" })),
    { hostname: "W2K-0", osName: "Windows 2000", department: "IT" },
    { hostname: "CRM-0", site: "York", department: "Finance", apps: [{ name: "CRM Sales for Outlook", version: "1.2" }] },
    { hostname: "LOOSE-0", site: "York", department: "Finance" },
  ];

  const ask = async (hostname: string, now?: Date) => {
    const answer = await getEligibility(viewer, { hostname, update: "xp-sp2" }, now);
    if (answer.reason) seen.add(answer.reason);
    return answer;
  };

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, fleet);
    const saved = await saveRolloutPlan(editor, {
      buildId: catalog.builds[0].id,
      name: "SP2",
      waves: [
        { name: "Pilot", targeting: { departmentIds: [catalog.dept("IT").id] }, gateMinAttempted: 50 },
        { name: "Offices", targeting: { siteIds: [catalog.site("HQ").id, catalog.site("Leeds").id] }, gateMinAttempted: 50 },
        { name: "York", targeting: { hostnames: ["CRM-0"] }, gateMinAttempted: 50 },
      ],
    });
    rolloutId = saved.rolloutId;
    waveIds = (await handle.db.select({ id: waves.id }).from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(waves.position)).map((w) => w.id);
  });
  afterAll(() => handle?.close());

  it("names the build to install: the wave's target, else the rollout's", async () => {
    expect(await ask("IT-0")).toMatchObject({ eligible: false, reason: "wave_not_started", build: { name: "RC1", version: "5.1.2600.2055" } });
    await handle.db.update(waves).set({ buildId: catalog.builds[1].id }).where(eq(waves.id, waveIds[0]));
    expect((await ask("IT-0")).build).toEqual({ name: "Final", version: "5.1.2600.2180" });
    expect((await ask("HQ-0")).build).toEqual({ name: "RC1", version: "5.1.2600.2055" });
    // outside every wave there is nothing to install
    expect(await ask("LOOSE-0")).toMatchObject({ reason: "excluded", build: null, wave: null });
    expect(await ask("W2K-0")).toMatchObject({ reason: "not_applicable", build: null });
  });

  it("offers the newer build to a machine that installed an older one (installed, behind); the same build is already installed", async () => {
    await performWaveAction(editor, { rolloutId, waveId: waveIds[0], action: "start" });
    await setStates(handle.db, catalog.update.id, { "IT-1": "installed", "IT-2": "installed", "IT-3": "installed" });
    const setBuild = (hostname: string, buildId: number | null) =>
      handle.db.execute(sql`update deployments set build_id = ${buildId} where device_id = (select id from devices where hostname = ${hostname})`);
    await setBuild("IT-1", catalog.builds[0].id);
    await setBuild("IT-2", catalog.builds[1].id);
    // the wave targets Final (id of builds[1]); IT-1 installed RC1 → behind, eligible for Final
    const behind = await ask("IT-1");
    expect(behind).toMatchObject({ eligible: true, reason: null, behind: true, build: { name: "Final" }, wave: { name: "Pilot" } });
    expect(behind.detail).toMatch(/installed RC1, behind/);
    expect(await ask("IT-2")).toMatchObject({ eligible: false, reason: "already_installed", build: { name: "Final" } });
    // no build recorded: installed is installed
    expect((await ask("IT-3")).reason).toBe("already_installed");
    // a newer build than the target (id greater) is not behind either
    const [rc3] = await handle.db.insert(builds).values({ updateId: catalog.update.id, name: "RC3", version: "5.1.2600.2190", kind: "rc" }).returning();
    await setBuild("IT-2", rc3.id);
    expect((await ask("IT-2")).reason).toBe("already_installed");
    // behind but the wave is paused: the wave's reason, with the build it will get
    await performWaveAction(editor, { rolloutId, waveId: waveIds[0], action: "pause" });
    expect(await ask("IT-1")).toMatchObject({ eligible: false, reason: "wave_paused", build: { name: "Final" } });
    await performWaveAction(editor, { rolloutId, waveId: waveIds[0], action: "halt", reason: "Testing a halt by hand" });
    expect((await ask("IT-1")).reason).toBe("wave_halted");
    await performWaveAction(editor, { rolloutId, waveId: waveIds[0], action: "resume", reason: "Checked the pilot machines, safe" });
    expect((await ask("IT-0")).eligible).toBe(true);
  });

  it("an emergency pause stops every wave (update_paused) until resumed, or until its end passes", async () => {
    const now = Date.now();
    await pauseUpdate(editor, { update: "xp-sp2", reason: "RC2 testers report disruption", until: new Date(now + 2 * 3_600_000).toISOString() });
    for (const hostname of ["IT-0", "IT-1", "HQ-0", "CRM-0"]) {
      const answer = await ask(hostname);
      expect(answer).toMatchObject({ eligible: false, reason: "update_paused" });
      expect(answer.detail).toMatch(/RC2 testers report disruption/);
    }
    // machine-level answers that do not depend on the waves stay what they are
    expect((await ask("IT-2")).reason).toBe("already_installed");
    expect((await ask("W2K-0")).reason).toBe("not_applicable");
    // the pause ends by itself at its end: decided on read
    expect((await ask("IT-0", new Date(now + 2 * 3_600_000 - 1000))).reason).toBe("update_paused");
    expect((await ask("IT-0", new Date(now + 2 * 3_600_000 + 1000))).eligible).toBe(true);
    await resumeUpdate(editor, { update: "xp-sp2" });
    expect((await ask("IT-0")).eligible).toBe(true);
  });

  it("held, not in rollout, and wave_not_started keep their meaning", async () => {
    const crm = await addKnownIssue(handle.db, catalog.update.id, { advisoryId: "RC-0001", title: "CRM add-in breaks", apps: [{ name: "CRM Sales for Outlook", versionRange: "1.2" }] });
    const { setSafeguardHold } = await import("./holds");
    await setSafeguardHold(editor, { knownIssueId: crm.id, on: true });
    expect(await ask("CRM-0")).toMatchObject({ reason: "held", heldBy: { advisoryId: "RC-0001" }, build: { name: "RC1" } });
    expect((await ask("HQ-0")).reason).toBe("wave_not_started");
    await handle.db.insert(updates).values({ slug: "ie-fix", title: "IE fix", vendor: "Microsoft", product: "IE", kind: "security" });
    const other = await getEligibility(viewer, { hostname: "IT-0", update: "ie-fix" });
    expect(other).toMatchObject({ eligible: false, reason: "not_in_rollout", build: null });
    seen.add(other.reason!);
  });

  it("a ramped wave offers N new machines a day, the rest are wave_throttled", async () => {
    // Offices: 6 at HQ and 3 in Leeds, 2 a day
    await handle.db.update(waves).set({ maxDevicesPerDay: 2, gatePassedAt: new Date() }).where(eq(waves.id, waveIds[0]));
    await handle.db.update(waves).set({ maxDevicesPerDay: 2 }).where(eq(waves.id, waveIds[1]));
    await performWaveAction(editor, { rolloutId, waveId: waveIds[1], action: "start" });
    const [wave] = await handle.db.select().from(waves).where(eq(waves.id, waveIds[1]));
    const hosts = [...Array.from({ length: 6 }, (_, i) => `HQ-${i}`), ...Array.from({ length: 3 }, (_, i) => `LDS-${i}`)];
    const offered = async (day: number) => {
      const at = new Date(wave.startedAt!.getTime() + day * DAY + 60_000);
      const answers = await Promise.all(hosts.map(async (h) => [h, await ask(h, at)] as const));
      for (const [, a] of answers) if (!a.eligible) expect(a.reason).toBe("wave_throttled");
      return answers.filter(([, a]) => a.eligible).map(([h]) => h);
    };
    const day0 = await offered(0);
    expect(day0).toHaveLength(2);
    // the first two are one from each site
    expect(day0.filter((h) => h.startsWith("LDS")).length).toBe(1);
    const day1 = await offered(1);
    expect(day1).toHaveLength(4);
    expect(day1).toEqual(expect.arrayContaining(day0));
    expect(await offered(4)).toHaveLength(9);
    const throttled = await ask(hosts.find((h) => !day0.includes(h))!, new Date(wave.startedAt!.getTime() + 60_000));
    expect(throttled.detail).toMatch(/offers .* to 2 new machines a day; .* is number \d+ in its order, offered from/);
  });

  it("has answered every reason", () => {
    expect([...seen].sort()).toEqual([...ELIGIBILITY_REASONS].sort());
  });
});

describe.each(testDbKinds)("the ramp's order on %s (property)", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let run = 0;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
  });
  afterAll(() => handle?.close());

  it("offers exactly N new machines a day, the same ones every time, spread over sites", async () => {
    const sites = ["HQ", "Leeds", "York", "Home"];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 1, max: 5 }), async (perSite, perDay) => {
        fc.pre(perSite.some((n) => n > 0));
        run += 1;
        const slug = `ramp-${run}`;
        const [update] = await handle.db.insert(updates).values({ slug, title: `Ramp ${run}`, vendor: "V", product: "P", kind: "security" }).returning();
        const [build] = await handle.db.insert(builds).values({ updateId: update.id, name: "Final", version: "1", kind: "final" }).returning();
        const fleet = perSite.flatMap((n, s) => Array.from({ length: n }, (_, i) => ({ hostname: `R${run}-${sites[s]}-${i}`, site: sites[s], channel: "network" as const })));
        await addDevices(handle.db, catalog, fleet);
        const saved = await saveRolloutPlan(editor, { buildId: build.id, name: slug, waves: [{ name: "Ramp", targeting: { hostnames: fleet.map((d) => d.hostname) }, maxDevicesPerDay: perDay }] });
        const [wave] = await handle.db.select().from(waves).where(eq(waves.rolloutId, saved.rolloutId));
        await handle.db.update(waves).set({ maxDevicesPerDay: perDay }).where(eq(waves.id, wave.id));
        await performWaveAction(editor, { rolloutId: saved.rolloutId, waveId: wave.id, action: "start" });
        const [started] = await handle.db.select().from(waves).where(eq(waves.id, wave.id));
        const days = Math.ceil(fleet.length / perDay) + 1;
        const offeredOn = async (day: number) => {
          const at = new Date(started.startedAt!.getTime() + day * DAY + 3_600_000);
          const out: string[] = [];
          for (const d of fleet) {
            const a = await getEligibility(viewer, { hostname: d.hostname, update: slug }, at);
            if (a.eligible) out.push(d.hostname);
            else expect(a.reason).toBe("wave_throttled");
          }
          return out;
        };
        const siteOf = (h: string) => h.split("-")[1];
        let previous: string[] = [];
        const byDay: string[][] = [];
        for (let day = 0; day < days; day++) {
          const offered = await offeredOn(day);
          expect(offered.length).toBe(Math.min(perDay * (day + 1), fleet.length));
          expect(offered).toEqual(expect.arrayContaining(previous));
          // interleaved: a site with machines left never trails another by more than one
          const count = (s: string) => offered.filter((h) => siteOf(h) === s).length;
          for (let a = 0; a < sites.length; a++) {
            if (count(sites[a]) >= perSite[a]) continue;
            for (let b = 0; b < sites.length; b++) expect(count(sites[b])).toBeLessThanOrEqual(count(sites[a]) + 1);
          }
          byDay.push(offered);
          previous = offered;
        }
        // stable: the stored order is not recomputed, and without it the same order is computed on read
        expect(await handle.db.transaction((tx) => assignRampPositions(tx, wave.id))).toBe(0);
        await handle.db.update(deployments).set({ rampPosition: null }).where(eq(deployments.waveId, wave.id));
        for (let day = 0; day < days; day++) expect((await offeredOn(day)).sort()).toEqual([...byDay[day]].sort());
        const positions = await handle.db.select({ p: deployments.rampPosition }).from(deployments).innerJoin(devices, eq(devices.id, deployments.deviceId)).where(eq(deployments.waveId, wave.id));
        expect(positions.every((r) => r.p === null)).toBe(true);
      }),
      { numRuns: kind === "pglite" ? 8 : 6 },
    );
  }, 240_000);
});
