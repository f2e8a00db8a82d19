import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, deployments, devices, waves } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { COUNTS_FROM_DEPLOYMENTS } from "@/lib/deployments/summaries";
import { getEligibility, type EligibilityReason } from "./eligibility";
import { evaluateGates, haltWavesForBlockingIssue } from "./gates";
import { releaseDeviceFromHold, setSafeguardHold } from "./holds";
import { autoStartDueWaves, performWaveAction } from "./lifecycle";
import { syncOpenRollouts } from "./materialise";
import { previewRolloutPlan, saveRolloutPlan } from "./plan";
import { getRolloutProgress } from "./queries";
import { addDevices, addKnownIssue, makeCatalog, makeUser, setStates, type FixtureDevice } from "@/test/support/fixtures/catalog";
import { rejection } from "@/test/support/rejection";

describe.each(testDbKinds)("rollout planning on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let rolloutId: number;
  let waveIds: number[];

  const fleet: FixtureDevice[] = [
    ...Array.from({ length: 6 }, (_, i) => ({ hostname: `IT-WS-${i}`, department: "IT", tags: i < 2 ? ["pilot"] : [] })),
    ...Array.from({ length: 20 }, (_, i) => ({ hostname: `HQ-WS-${i}`, department: "Sales" })),
    ...Array.from({ length: 8 }, (_, i) => ({ hostname: `LDS-WS-${i}`, site: "Leeds", department: "Sales" })),
    ...Array.from({ length: 4 }, (_, i) => ({ hostname: `HOME-${i}`, site: "Home", channel: "offline_media" as const })),
    ...Array.from({ length: 3 }, (_, i) => ({ hostname: `W2K-${i}`, osName: "Windows 2000", department: "IT" })),
    { hostname: "HQ-CRM-1", department: "Sales", apps: [{ name: "CRM Sales for Outlook", version: "1.2" }] },
    { hostname: "HQ-CRM-2", department: "Sales", apps: [{ name: "CRM Sales for Outlook", version: "1.3" }] },
  ];

  const plan = () => ({
    buildId: catalog.builds[1].id,
    name: "SP2 rollout",
    waves: [
      { name: "0 – IT pilot", targeting: { departmentIds: [catalog.dept("IT").id] }, gateMinSuccessPct: 80, gateMaxFailurePct: 20, gateMinAttempted: 4 },
      { name: "1 – Headquarters", targeting: { siteIds: [catalog.site("HQ").id] }, gateMinAttempted: 5 },
      { name: "2 – Branches", targeting: { siteIds: [catalog.site("Leeds").id, catalog.site("York").id] } },
      { name: "3 – Home workers", targeting: {} },
    ],
  });

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, fleet);
  });
  afterAll(() => handle?.close());

  it("previews waves, not-applicable devices and per-site download volume before saving", async () => {
    const result = await previewRolloutPlan(editor, plan());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const p = result.preview;
    expect(p.waves.map((w) => w.devices)).toEqual([6, 22, 8, 4]);
    expect(p.notApplicable).toBe(3);
    expect(p.notApplicableByOs).toEqual([{ osName: "Windows 2000", devices: 3 }]);
    expect(p.excluded).toBe(0);
    const leeds = p.waves[2].sites.find((s) => s.name === "Leeds")!;
    expect(leeds.downloadBytes).toBe(8 * 300_000_000);
    // 2.4 GB over 512 kbit/s ≈ 10.4 h > a working day → warning
    expect(leeds.transferSeconds).toBeCloseTo((8 * 300_000_000 * 8) / 512_000, 3);
    expect(leeds.saturates).toBe(true);
    expect(p.waves[2].warnings[0]).toMatch(/Leeds/);
    expect(p.waves[3].offline).toBe(4);
    expect(p.waves[3].sites[0].downloadBytes).toBe(0);
    // nothing was written
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from deployments`);
    expect(n).toBe(0);
  });

  it("refuses overlapping, empty and unknown targeting with messages at the field, saving nothing", async () => {
    const bad = plan();
    bad.waves[1] = { ...bad.waves[1], targeting: { departmentIds: [catalog.dept("IT").id] } } as never;
    bad.waves.push({ name: "4 – nobody", targeting: { osNames: ["OS/2"] } } as never);
    bad.waves[2] = { ...bad.waves[2], targeting: { hostnames: ["lds-ws-0", "NO-SUCH-HOST"] } } as never;
    const error = await rejection(saveRolloutPlan(editor, bad));
    expect(error.status).toBe(422);
    const errors = error.extra.errors as { path: string; message: string }[];
    expect(errors).toContainEqual(expect.objectContaining({ path: "waves.1.targeting", message: expect.stringMatching(/taken by earlier waves/) }));
    expect(errors).toContainEqual(expect.objectContaining({ path: "waves.4.targeting", message: expect.stringMatching(/no applicable device matches/) }));
    expect(errors).toContainEqual(expect.objectContaining({ path: "waves.2.targeting.hostnames", message: expect.stringMatching(/NO-SUCH-HOST/) }));
    const dup = plan();
    dup.waves[0].targeting = { hostnames: ["IT-WS-1"] } as never;
    dup.waves[1].targeting = { hostnames: ["it-ws-1", "HQ-WS-1"] } as never;
    const dupError = await rejection(saveRolloutPlan(editor, dup));
    expect(dupError.extra.errors).toContainEqual(expect.objectContaining({ path: "waves.1.targeting.hostnames", message: expect.stringMatching(/Overlapping/) }));
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select (select count(*) from rollouts) + (select count(*) from deployments) as n`);
    expect(Number(n)).toBe(0);
  });

  it("a viewer cannot plan", async () => {
    expect((await rejection(previewRolloutPlan(viewer, plan()))).status).toBe(403);
    expect((await rejection(saveRolloutPlan(viewer, plan()))).status).toBe(403);
  });

  it("saves in one transaction: deployments materialised, summary counts exact, audited", async () => {
    const saved = await saveRolloutPlan(editor, plan());
    rolloutId = saved.rolloutId;
    const ws = await handle.db.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(waves.position);
    waveIds = ws.map((w) => w.id);
    const rows = await queryRows<{ state: string; wave_id: number | null; n: number }>(
      handle.db,
      sql`select state, wave_id, count(*)::int as n from deployments where rollout_id = ${rolloutId} group by 1, 2 order by 2, 1`,
    );
    expect(rows).toContainEqual({ state: "not_applicable", wave_id: null, n: 3 });
    expect(rows.filter((r) => r.wave_id === waveIds[1]).reduce((n, r) => n + r.n, 0)).toBe(22);
    const total = rows.reduce((n, r) => n + r.n, 0);
    expect(total).toBe(fleet.length);
    const summary = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from (
      (select update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id, count from deployment_counts except ${COUNTS_FROM_DEPLOYMENTS})
      union all (${COUNTS_FROM_DEPLOYMENTS} except select update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id, count from deployment_counts)) x`);
    expect(summary[0].n).toBe(0);
    const audit = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "rollout.create"));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorUserId).toBe(editor.userId);
  });

  it("a second open rollout of the same update is refused", async () => {
    const error = await rejection(saveRolloutPlan(editor, plan()));
    expect(error.extra.errors).toContainEqual(expect.objectContaining({ path: "buildId" }));
  });

  it("answers every eligibility reason", async () => {
    const ask = async (hostname: string) => (await getEligibility(viewer, { hostname, update: "xp-sp2" })).reason as EligibilityReason | null;
    expect(await ask("IT-WS-0")).toBe("wave_not_started");
    expect(await ask("W2K-0")).toBe("not_applicable");
    await performWaveAction(editor, { rolloutId, waveId: waveIds[0], action: "start" });
    expect(await getEligibility(viewer, { hostname: "it-ws-0", update: "xp-sp2" })).toMatchObject({ eligible: true, reason: null, wave: { name: "0 – IT pilot", status: "active" } });
    await performWaveAction(editor, { rolloutId, waveId: waveIds[0], action: "pause" });
    expect(await ask("IT-WS-0")).toBe("wave_paused");
    await performWaveAction(editor, { rolloutId, waveId: waveIds[0], action: "halt", reason: "Testing a halt by hand" });
    expect(await ask("IT-WS-0")).toBe("wave_halted");
    await performWaveAction(editor, { rolloutId, waveId: waveIds[0], action: "resume", reason: "Checked the pilot machines, safe" });
    await setStates(handle.db, catalog.update.id, { "IT-WS-1": "installed" });
    expect(await ask("IT-WS-1")).toBe("already_installed");
    // excluded: narrow the home wave to one device, the rest are excluded
    const narrowed = plan();
    const edit = { ...narrowed, rolloutId, waves: narrowed.waves.map((w, i) => ({ ...w, id: waveIds[i] })) };
    edit.waves[3] = { ...edit.waves[3], targeting: { hostnames: ["HOME-0"] } } as never;
    await saveRolloutPlan(editor, edit);
    expect(await ask("HOME-1")).toBe("excluded");
    expect(await ask("HOME-0")).toBe("wave_not_started");
    // held: a safeguard hold on the CRM add-in 1.2
    const crm = await addKnownIssue(handle.db, catalog.update.id, { advisoryId: "RC-0001", title: "CRM Sales for Outlook 1.2 stops working", apps: [{ name: "CRM Sales for Outlook", versionRange: "1.2" }] });
    await setSafeguardHold(editor, { knownIssueId: crm.id, on: true });
    const held = await getEligibility(viewer, { hostname: "HQ-CRM-1", update: "xp-sp2" });
    expect(held).toMatchObject({ eligible: false, reason: "held", heldBy: { advisoryId: "RC-0001" } });
    expect(await ask("HQ-CRM-2")).toBe("wave_not_started");
    // not in rollout: an update without a rollout
    await handle.db.execute(sql`insert into updates (slug, title, vendor, product, kind) values ('ie-fix', 'IE fix', 'Microsoft', 'IE', 'security')`);
    expect((await getEligibility(viewer, { hostname: "IT-WS-0", update: "ie-fix" })).reason).toBe("not_in_rollout");
    expect((await rejection(getEligibility(viewer, { hostname: "nope", update: "xp-sp2" }))).status).toBe(404);
    expect((await rejection(getEligibility(null, { hostname: "IT-WS-0", update: "xp-sp2" }))).status).toBe(401);

    // lifting the hold releases the device; releasing one device needs a reason and is audited
    await setSafeguardHold(editor, { knownIssueId: crm.id, on: false });
    expect(await ask("HQ-CRM-1")).toBe("wave_not_started");
    await setSafeguardHold(editor, { knownIssueId: crm.id, on: true });
    expect(await ask("HQ-CRM-1")).toBe("held");
    await expect(releaseDeviceFromHold(editor, { hostname: "HQ-CRM-1", update: "xp-sp2", reason: "" })).rejects.toThrow();
    const released = await releaseDeviceFromHold(editor, { hostname: "hq-crm-1", update: "xp-sp2", reason: "User does not use the CRM add-in any more" });
    expect(released.state).toBe("pending");
    expect(await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "safeguard_hold.release_device"))).toHaveLength(1);
    // a later re-evaluation keeps it released
    await handle.db.transaction((tx) => syncOpenRollouts(tx));
    expect(await ask("HQ-CRM-1")).toBe("wave_not_started");
  });

  it("starts waves in order only, and overrides a gate that has not passed only with a written reason", async () => {
    const refusedOrder = await rejection(performWaveAction(editor, { rolloutId, waveId: waveIds[2], action: "start" }));
    expect(refusedOrder.status).toBe(409);
    expect(refusedOrder.message).toMatch(/in order/);
    const needsReason = await rejection(performWaveAction(editor, { rolloutId, waveId: waveIds[1], action: "start" }));
    expect(needsReason.status).toBe(422);
    expect(needsReason.extra.errors).toContainEqual(expect.objectContaining({ path: "reason" }));
    expect((await rejection(performWaveAction(viewer, { rolloutId, waveId: waveIds[1], action: "start", reason: "I am only a viewer here" }))).status).toBe(403);
    await performWaveAction(editor, { rolloutId, waveId: waveIds[1], action: "start", reason: "Pilot looks fine, CAB approved on Monday" });
    const [audit] = await handle.db.select().from(auditEntries).where(and(eq(auditEntries.action, "wave.start"), eq(auditEntries.targetId, String(waveIds[1]))));
    expect(audit.after).toMatchObject({ status: "active", override: "Pilot looks fine, CAB approved on Monday" });
  });

  it("halts a wave at one failure above the gate, not at exactly the threshold, with the numbers recorded", async () => {
    // wave 1 (HQ): gate 95 % success, at most 5 % failure, decided from 5 attempted. 20 attempted, 1 failed = 5 % exactly.
    const hq = Array.from({ length: 20 }, (_, i) => `HQ-WS-${i}`);
    await setStates(handle.db, catalog.update.id, Object.fromEntries(hq.map((h, i) => [h, i === 0 ? "failed" : "installed"])));
    let [outcome] = await handle.db.transaction((tx) => evaluateGates(tx, [waveIds[1]]));
    expect(outcome.verdict.failurePct).toBe(5);
    expect(outcome.action).toBe("passed");
    const [afterPass] = await handle.db.select().from(waves).where(eq(waves.id, waveIds[1]));
    expect(afterPass.status).toBe("active");
    expect(afterPass.gatePassedAt).not.toBeNull();
    // one more failure: 2 of 21 attempted ≈ 9.5 % > 5 %
    await setStates(handle.db, catalog.update.id, { "HQ-CRM-2": "rolled_back" });
    [outcome] = await handle.db.transaction((tx) => evaluateGates(tx, [waveIds[1], waveIds[2]]));
    expect(outcome.action).toBe("halted");
    const [halted] = await handle.db.select().from(waves).where(eq(waves.id, waveIds[1]));
    expect(halted.status).toBe("halted");
    expect(halted.haltReason).toMatch(/9\.5 % \(1 failed and 1 rolled back of 21 attempted\) is above the maximum 5 %/);
    const audits = await handle.db.select().from(auditEntries).where(and(eq(auditEntries.action, "wave.halt"), eq(auditEntries.targetId, String(waveIds[1]))));
    expect(audits.at(-1)!.actorLabel).toBe("health gate");
    expect(audits.at(-1)!.after).toMatchObject({ numbers: { attempted: 21, failed: 1, rolledBack: 1 } });
    const progress = await getRolloutProgress(viewer, rolloutId);
    expect(progress.waves[1]).toMatchObject({ status: "halted", gate: { status: "breached" } });
    expect((await getEligibility(viewer, { hostname: "HQ-WS-5", update: "xp-sp2" })).reason).toBe("already_installed");
  });

  it("a confirmed blocking known issue halts the waves it affects and keeps later waves from starting", async () => {
    await performWaveAction(editor, { rolloutId, waveId: waveIds[1], action: "resume", reason: "The two failures were disk space, fixed" });
    const issue = await addKnownIssue(handle.db, catalog.update.id, { advisoryId: "RC-0002", title: "Serious disruption", status: "confirmed", blocking: true });
    const halted = await handle.db.transaction((tx) => haltWavesForBlockingIssue(tx, issue.id));
    expect(halted.sort()).toEqual([waveIds[0], waveIds[1]].sort());
    const [w1] = await handle.db.select().from(waves).where(eq(waves.id, waveIds[1]));
    expect(w1.haltReason).toMatch(/RC-0002/);
    const refused = await rejection(performWaveAction(editor, { rolloutId, waveId: waveIds[2], action: "start", reason: "We want to go ahead anyway" }));
    expect(refused.message).toMatch(/blocking known issue RC-0002/);
    await handle.db.execute(sql`update known_issues set status = 'resolved' where id = ${issue.id}`);
  });

  it("auto-starts the next wave after the previous passed its gate and soaked", async () => {
    await performWaveAction(editor, { rolloutId, waveId: waveIds[1], action: "resume", reason: "Issue RC-0002 resolved by the vendor" });
    await handle.db.update(waves).set({ autoStart: true, soakDays: 2 }).where(eq(waves.id, waveIds[2]));
    const passedAt = new Date(Date.now() - 3 * 86_400_000);
    await handle.db.update(waves).set({ gatePassedAt: passedAt }).where(eq(waves.id, waveIds[1]));
    const notYet = await handle.db.transaction((tx) => autoStartDueWaves(tx, [rolloutId], new Date(passedAt.getTime() + 86_400_000)));
    expect(notYet).toEqual([]);
    const started = await handle.db.transaction((tx) => autoStartDueWaves(tx, [rolloutId]));
    expect(started).toEqual([waveIds[2]]);
    const [w2] = await handle.db.select().from(waves).where(eq(waves.id, waveIds[2]));
    expect(w2.status).toBe("active");
  });

  it("re-evaluates targeting when inventory changes: new devices join planned waves, started waves keep theirs", async () => {
    await addDevices(handle.db, catalog, [
      { hostname: "HOME-NEW", site: "Home", channel: "offline_media" },
      { hostname: "HQ-NEW", department: "Sales" },
    ]);
    const narrowed = plan();
    const edit = { ...narrowed, rolloutId, waves: narrowed.waves.map((w, i) => ({ ...w, id: waveIds[i] })) };
    edit.waves[3] = { ...edit.waves[3], targeting: { siteIds: [catalog.site("Home").id] } } as never;
    await saveRolloutPlan(editor, edit);
    const where = async (hostname: string) => {
      const [row] = await handle.db
        .select({ waveId: deployments.waveId, state: deployments.state })
        .from(deployments)
        .innerJoin(devices, eq(devices.id, deployments.deviceId))
        .where(eq(devices.hostname, hostname));
      return row;
    };
    expect(await where("HOME-NEW")).toEqual({ waveId: waveIds[3], state: "pending" });
    // HQ wave has started: its membership is frozen, the new HQ device is excluded
    expect(await where("HQ-NEW")).toEqual({ waveId: null, state: "excluded" });
    expect((await where("HQ-WS-3")).waveId).toBe(waveIds[1]);
  });
});
