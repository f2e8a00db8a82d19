// What a breached gate does (issue #18 item 4): halt (default), pause, or alert only (once per
// breach, the wave keeps running); the rollback maximum and the regression signal from helpdesk
// reports, each at its exact threshold, with the reason and numbers recorded.
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, helpdeskReports, outboxEvents, waves, type Wave } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { evaluateGates } from "./gates";
import { performWaveAction } from "./lifecycle";
import { saveRolloutPlan } from "./plan";
import { addDevices, addKnownIssue, makeCatalog, makeUser, setStates } from "@/test/support/fixtures/catalog";

describe.each(testDbKinds)("gate actions on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let rolloutId: number;
  let wave: Wave;
  let issueId: number;
  // 20 machines in one wave: HQ-0 … HQ-19
  const hosts = Array.from({ length: 20 }, (_, i) => `HQ-${i}`);

  const reread = async () => ((wave = (await handle.db.select().from(waves).where(eq(waves.id, wave.id)))[0]), wave);
  const evaluate = async () => (await handle.db.transaction((tx) => evaluateGates(tx, [wave.id])))[0];
  const events = async (type: string) => handle.db.select().from(outboxEvents).where(eq(outboxEvents.type, type)).orderBy(asc(outboxEvents.id));
  const audits = async (action: string) => handle.db.select().from(auditEntries).where(and(eq(auditEntries.action, action), eq(auditEntries.targetId, String(wave.id)))).orderBy(asc(auditEntries.id));
  /** Sets the first `installed` machines installed, the next `failed` failed, `rolledBack` rolled back; the rest pending. */
  const states = async (installed: number, failed = 0, rolledBack = 0) => {
    await setStates(
      handle.db,
      catalog.update.id,
      Object.fromEntries(hosts.map((h, i) => [h, i < installed ? "installed" : i < installed + failed ? "failed" : i < installed + failed + rolledBack ? "rolled_back" : "pending"])),
    );
  };
  const configure = async (set: Partial<Wave>) => {
    await handle.db.update(waves).set({ gateAlertedAt: null, ...set }).where(eq(waves.id, wave.id));
    await reread();
  };

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, hosts.map((hostname) => ({ hostname })));
    const saved = await saveRolloutPlan(editor, { buildId: catalog.builds[1].id, name: "SP2", waves: [{ name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] } }] });
    rolloutId = saved.rolloutId;
    [wave] = await handle.db.select().from(waves).where(eq(waves.rolloutId, rolloutId));
    await performWaveAction(editor, { rolloutId, waveId: wave.id, action: "start" });
    issueId = (await addKnownIssue(handle.db, catalog.update.id, { advisoryId: "RC-0003", title: "Disruption on some workstations" })).id;
  });
  afterAll(() => handle?.close());

  beforeEach(async () => {
    await handle.db.delete(helpdeskReports);
    await handle.db.update(waves).set({ status: "active", gateAction: "halt", gateAlertedAt: null, gatePassedAt: null, haltReason: null, gateMinSuccessPct: 0, gateMaxFailurePct: 10, gateMinAttempted: 10, gateMaxRollbackPct: null, regressionMinReports: null, regressionMaxRatio: 2 }).where(eq(waves.id, wave.id));
    await reread();
  });

  it("halt (the default): exactly at the failure maximum nothing happens, one above halts with the numbers", async () => {
    expect(wave.gateAction).toBe("halt");
    await states(18, 2); // 2 of 20 = 10 % exactly
    expect((await evaluate()).action).toBe("passed");
    await states(17, 3); // 15 % > 10 %
    const outcome = await evaluate();
    expect(outcome.action).toBe("halted");
    expect((await reread()).status).toBe("halted");
    expect(wave.haltReason).toMatch(/15 % \(3 failed and 0 rolled back of 20 attempted\) is above the maximum 10 %/);
    expect((await audits("wave.halt")).at(-1)!.after).toMatchObject({ numbers: { attempted: 20, failed: 3 } });
  });

  it("pause: an active wave is paused with the reason and numbers, announced once", async () => {
    await configure({ gateAction: "pause" });
    const before = (await events("gate.breached")).length;
    await states(18, 2);
    expect((await evaluate()).action).toBe("passed");
    expect((await reread()).status).toBe("active");
    await states(17, 3);
    expect((await evaluate()).action).toBe("paused");
    expect((await reread()).status).toBe("paused");
    expect(wave.haltReason).toBeNull();
    expect(wave.gateAlertedAt).not.toBeNull();
    const pause = (await audits("wave.pause")).at(-1)!;
    expect(pause.actorLabel).toBe("health gate");
    expect(pause.after).toMatchObject({ status: "paused", reason: expect.stringMatching(/above the maximum 10 %/), numbers: { attempted: 20, failed: 3 } });
    expect((await events("wave.paused")).at(-1)!.data).toMatchObject({ waveId: wave.id, reason: expect.stringMatching(/15 %/) });
    expect(await events("gate.breached")).toHaveLength(before + 1);
    // still breached at the next batch: nothing more
    expect((await evaluate()).action).toBe("none");
    expect(await events("gate.breached")).toHaveLength(before + 1);
    // an editor resumes it knowingly: the same breach does not pause it again
    await performWaveAction(editor, { rolloutId, waveId: wave.id, action: "resume" });
    expect((await evaluate()).action).toBe("none");
    expect((await reread()).status).toBe("active");
  });

  it("alert only: one gate.breached per breach, the wave keeps running, a new breach after recovery alerts again", async () => {
    await configure({ gateAction: "alert" });
    const before = (await events("gate.breached")).length;
    await states(17, 3);
    expect((await evaluate()).action).toBe("alerted");
    expect((await reread()).status).toBe("active");
    expect(wave.gateAlertedAt).not.toBeNull();
    const alert = (await audits("wave.gate_alert")).at(-1)!;
    expect(alert.after).toMatchObject({ status: "active", gateAction: "alert", reason: expect.stringMatching(/15 %/), numbers: { attempted: 20, failed: 3 } });
    expect((await evaluate()).action).toBe("none");
    expect((await evaluate()).action).toBe("none");
    expect(await events("gate.breached")).toHaveLength(before + 1);
    expect((await events("gate.breached")).at(-1)!.data).toMatchObject({ waveId: wave.id, numbers: { failed: 3, attempted: 20 } });
    // recovered (the failures reinstalled): the alert is re-armed
    await states(20);
    expect((await evaluate()).verdict.status).toBe("passed");
    expect((await reread()).gateAlertedAt).toBeNull();
    await states(17, 3);
    expect((await evaluate()).action).toBe("alerted");
    expect(await events("gate.breached")).toHaveLength(before + 2);
    expect((await reread()).status).toBe("active");
  });

  it("the rollback maximum: exactly at it nothing happens, one rollback above it breaches", async () => {
    await configure({ gateMaxRollbackPct: 5, gateMaxFailurePct: 50 });
    await states(19, 0, 1); // 1 of 20 = 5 %
    expect((await evaluate()).verdict.status).toBe("passed");
    expect((await reread()).status).toBe("active");
    await states(18, 0, 2); // 10 %
    const outcome = await evaluate();
    expect(outcome.action).toBe("halted");
    expect((await reread()).haltReason).toBe("Health gate breached: rollback rate 10 % (2 rolled back of 20 attempted) is above the rollback maximum 5 %.");
    expect((await audits("wave.halt")).at(-1)!.after).toMatchObject({ numbers: { rolledBack: 2, rollbackPct: 10 } });
  });

  it("the regression signal: reports per 100 updated against not yet updated, from the minimum number of reports, breach above the ratio", async () => {
    // 10 updated, 10 not yet; minimum 3 reports, ratio 2
    await configure({ regressionMinReports: 3, regressionMaxRatio: 2, gateMinAttempted: 1000 });
    await states(10);
    const report = async (hostname: string, when = new Date()) =>
      handle.db.insert(helpdeskReports).values({ knownIssueId: issueId, ticketRef: `T-${Math.random()}`, createdAt: when, deviceId: sql`(select id from devices where hostname = ${hostname})` as never });
    // 2 reports on updated machines: below the minimum, nothing decided
    await report("HQ-0");
    await report("HQ-1");
    expect((await evaluate()).verdict.regression).toMatchObject({ status: "waiting_for_data", reportsUpdated: 2, updated: 10 });
    // one on a machine not yet updated: 20 per 100 against 10 per 100 = ratio 2 exactly: no breach
    await report("HQ-15");
    let outcome = await evaluate();
    expect(outcome.verdict.regression).toMatchObject({ status: "ok", reportsUpdated: 2, updated: 10, reportsNotUpdated: 1, notUpdated: 10, ratio: 2 });
    expect((await reread()).status).toBe("active");
    // a report filed before the wave started does not count
    await report("HQ-2", new Date(wave.startedAt!.getTime() - 86_400_000));
    expect((await evaluate()).verdict.regression).toMatchObject({ reportsUpdated: 2 });
    // one more on an updated machine: 30 per 100 against 10 = 3 > 2 → halt, with the numbers
    await report("HQ-3");
    outcome = await evaluate();
    expect(outcome.action).toBe("halted");
    expect((await reread()).haltReason).toBe(
      "Health gate breached: Regression signal: 30 helpdesk reports per 100 updated machines (3 on 10) against 10 per 100 not yet updated (1 on 10), 3 times, above the maximum 2 times.",
    );
    expect((await audits("wave.halt")).at(-1)!.after).toMatchObject({ numbers: { regression: { reportsUpdated: 3, updated: 10, reportsNotUpdated: 1, notUpdated: 10, ratio: 3 } } });
  });

  it("the regression signal with alert only keeps the wave running and alerts once", async () => {
    await configure({ gateAction: "alert", regressionMinReports: 1, regressionMaxRatio: 2, gateMinAttempted: 1000 });
    await states(10);
    await handle.db.insert(helpdeskReports).values({ knownIssueId: issueId, ticketRef: "T-1", deviceId: sql`(select id from devices where hostname = 'HQ-4')` as never });
    expect((await evaluate()).action).toBe("alerted");
    expect((await evaluate()).action).toBe("none");
    expect((await reread()).status).toBe("active");
    expect((await audits("wave.gate_alert")).at(-1)!.after).toMatchObject({ reason: expect.stringMatching(/no report from machines not yet updated/) });
  });
});
