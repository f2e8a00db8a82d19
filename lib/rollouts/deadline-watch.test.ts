// wave.deadline_at_risk is announced once per risk (issue #18 item 2), on both databases: a wave whose
// forecast is late is announced on the first pass and not again; once it is done the mark clears.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { outboxEvents, waves } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { addDevices, makeCatalog, makeUser, setStates } from "@/test/support/fixtures/catalog";
import { announceDeadlineRisks } from "./deadline-watch";
import { saveRolloutPlan } from "./plan";

const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe.each(testDbKinds)("deadline risk announcements on %s", (kind) => {
  let handle: DbHandle;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let waveIds: number[];

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    const editor = await makeUser(handle.db, "editor");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, [{ hostname: "HQ-1" }, { hostname: "HQ-2" }, { hostname: "LDS-1", site: "Leeds" }]);
    const { rolloutId } = await saveRolloutPlan(editor, {
      buildId: catalog.builds[1].id,
      name: "SP2",
      waves: [
        // Its deadline passed with nothing installed: late.
        { name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] }, plannedStartAt: daysFromNow(-20), deadlineAt: daysFromNow(-1) },
        // 1 machine at a ramp of 5 a day, well before its deadline: on track.
        { name: "Leeds", targeting: { siteIds: [catalog.site("Leeds").id] }, plannedStartAt: daysFromNow(2), deadlineAt: daysFromNow(30), maxDevicesPerDay: 5 },
      ],
    });
    waveIds = (await handle.db.select({ id: waves.id }).from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(waves.position)).map((w) => w.id);
  });
  afterAll(() => handle?.close());

  const pass = () => handle.db.transaction((tx) => announceDeadlineRisks(tx));
  const notified = async (id: number) => (await handle.db.select({ at: waves.deadlineRiskNotifiedAt }).from(waves).where(eq(waves.id, id)))[0].at;

  it("announces a late wave once, with its forecast; an on-track wave not at all", async () => {
    const first = await pass();
    expect(first.map((e) => [e.type, e.data.waveName, (e.data.forecast as { status: string }).status])).toEqual([["wave.deadline_at_risk", "HQ", "late"]]);
    expect(await handle.db.select().from(outboxEvents).where(eq(outboxEvents.type, "wave.deadline_at_risk"))).toHaveLength(1);
    expect(await notified(waveIds[0])).not.toBeNull();
    expect(await notified(waveIds[1])).toBeNull();
    expect(await pass()).toEqual([]);
    expect(await handle.db.select().from(outboxEvents).where(eq(outboxEvents.type, "wave.deadline_at_risk"))).toHaveLength(1);
  });

  it("clears the mark once the wave reached its target, so a later risk is announced again", async () => {
    await setStates(handle.db, catalog.update.id, { "HQ-1": "installed", "HQ-2": "installed" });
    expect(await pass()).toEqual([]);
    expect(await notified(waveIds[0])).toBeNull();
  });
});
