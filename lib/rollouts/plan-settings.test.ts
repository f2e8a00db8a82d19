// The planner stores the controls other areas act on (issue #18 item 3), on both databases: gate
// action, rollback maximum, regression signal, readiness rule, ramp, compliance target, blocking
// known issues and silent-after days are saved, read back for the edit page, and a blocking issue of
// another update is refused per field with nothing saved.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { knownIssues, rollouts, waveBlockingIssues } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { addDevices, addKnownIssue, makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { planCalendarChoices, planSettings, saveRolloutPlan } from "./plan";

describe.each(testDbKinds)("planner settings on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, [{ hostname: "HQ-1" }, { hostname: "LDS-1", site: "Leeds" }]);
    await addKnownIssue(handle.db, catalog.update.id, { advisoryId: "RC-0003", title: "Intel Application Accelerator", status: "confirmed", blocking: true });
  });
  afterAll(() => handle?.close());

  const plan = (leeds: Record<string, unknown>) => ({
    buildId: catalog.builds[1].id,
    name: "SP2",
    silentAfterDays: "10",
    waves: [
      { name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] } },
      { name: "Leeds", targeting: { siteIds: [catalog.site("Leeds").id] }, ...leeds },
    ],
  });

  it("refuses an unknown blocking issue next to its field and saves nothing", async () => {
    await expect(saveRolloutPlan(editor, plan({ blockingIssues: ["RC-0999"] }))).rejects.toMatchObject({
      status: 422,
      extra: { errors: [{ path: "waves.1.blockingIssues", message: "Not a known issue of Windows XP Service Pack 2: RC-0999." }] },
    });
    expect(await handle.db.select().from(rollouts)).toHaveLength(0);
  });

  it("saves every control and reads it back for the edit page; the plan's list replaces the links", async () => {
    const controls = { gateAction: "pause", gateMaxRollbackPct: "3", regressionMinReports: "5", regressionMaxRatio: "1.5", readinessMaxUntestedPct: "20", maxDevicesPerDay: "25", complianceTargetPct: "90", blockingIssues: ["rc-0003"] };
    const { rolloutId } = await saveRolloutPlan(editor, plan(controls));
    const settings = await planSettings(editor, rolloutId);
    expect(settings.silentAfterDays).toBe(10);
    const leeds = [...settings.waves.values()][1];
    expect(leeds).toMatchObject({ gateAction: "pause", gateMaxRollbackPct: 3, regressionMinReports: 5, regressionMaxRatio: 1.5, readinessMaxUntestedPct: 20, maxDevicesPerDay: 25, complianceTargetPct: 90, blockingIssues: ["RC-0003"] });
    expect([...settings.waves.values()][0]).toMatchObject({ gateAction: "halt", maxDevicesPerDay: null, complianceTargetPct: 95, blockingIssues: [] });

    const waveIds = [...settings.waves.keys()];
    await saveRolloutPlan(editor, { ...plan({ ...controls, blockingIssues: [] }), rolloutId, waves: plan({}).waves.map((w, i) => ({ ...w, id: waveIds[i], ...(i === 1 ? { ...controls, blockingIssues: [] } : {}) })) });
    expect(await handle.db.select().from(waveBlockingIssues).where(eq(waveBlockingIssues.waveId, waveIds[1]))).toHaveLength(0);
    // Unticked from the last wave it blocked, the issue stops blocking (an issue with no links would block every wave).
    const [issue] = await handle.db.select({ blocking: knownIssues.blocking }).from(knownIssues).where(eq(knownIssues.advisoryId, "RC-0003"));
    expect(issue.blocking).toBe(false);
    expect((await planSettings(editor, rolloutId)).waves.get(waveIds[0])).toMatchObject({ blockingIssues: [] });
    expect((await planCalendarChoices(editor, "xp-sp2")).knownIssues).toEqual([{ advisoryId: "RC-0003", title: "Intel Application Accelerator" }]);
    await expect(planSettings(viewer, rolloutId)).rejects.toMatchObject({ status: 403 });
  });
});
