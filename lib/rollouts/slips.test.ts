// A slip of the release date moves the rollout calendar (issue #18 item 1), on both databases:
// the offset dates of waves not yet started move by the slip (dates given as dates and started waves
// stay), each move is a wave_date_moves row, an audit entry and part of the update.slipped event;
// the planner refuses an offset without a release date and a deadline before the start, saving
// nothing; POST /api/v1/updates/{slug}/slips answers 401 / 403 / 422 / 201.
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, outboxEvents, rollouts, waveDateMoves, waves } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { recordSlip } from "@/lib/updates/catalog";
import { addDevices, makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { POST as postSlip } from "@/app/api/v1/updates/[slug]/slips/route";
import { performWaveAction } from "./lifecycle";
import { saveRolloutPlan } from "./plan";
import { getRolloutDetail, getRolloutProgress } from "./queries";

process.env.AUTH_SECRET ??= "slips-secret-slips-secret-slips-0123456";

const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;

describe.each(testDbKinds)("slips move the rollout calendar on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let rolloutId: number;

  const plan = (extra: Record<string, unknown>[] = []) => ({
    buildId: catalog.builds[1].id,
    name: "SP2",
    waves: [
      { name: "Pilot", targeting: { siteIds: [catalog.site("HQ").id], tags: ["pilot"] }, plannedStartAt: "2004-06-01", deadlineOffsetDays: 0, ...extra[0] },
      { name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] }, startOffsetDays: 14, deadlineOffsetDays: 28, ...extra[1] },
      { name: "Leeds", targeting: { siteIds: [catalog.site("Leeds").id] }, startOffsetDays: 35, deadlineAt: "2004-09-30", maxDevicesPerDay: 25, ...extra[2] },
    ],
  });
  const waveRows = () => handle.db.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(asc(waves.position));

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, [
      { hostname: "IT-1", tags: ["pilot"] },
      { hostname: "HQ-1" },
      { hostname: "HQ-2" },
      { hostname: "LDS-1", site: "Leeds" },
    ]);
  });
  afterAll(() => handle?.close());

  it("refuses an offset while the update has no planned release date, and saves nothing", async () => {
    await expect(saveRolloutPlan(editor, plan())).rejects.toMatchObject({
      status: 422,
      extra: { errors: expect.arrayContaining([{ path: "waves.1.startOffsetDays", message: expect.stringMatching(/no planned release date/) }]) },
    });
    expect(await handle.db.select().from(rollouts)).toHaveLength(0);
  });

  it("resolves offsets from the release date; refuses a deadline before the start with the field's message", async () => {
    await recordSlip(editor, { update: "xp-sp2", plannedDate: "2004-06-30", note: "First planned date." });
    await expect(saveRolloutPlan(editor, plan([{}, { deadlineOffsetDays: 7 }]))).rejects.toMatchObject({
      status: 422,
      extra: { errors: [{ path: "waves.1.deadlineOffsetDays", message: "The deadline (2004-07-07) must come after the planned start (2004-07-14)." }] },
    });
    expect(await handle.db.select().from(rollouts)).toHaveLength(0);
    ({ rolloutId } = await saveRolloutPlan(editor, plan()));
    const [pilot, hq, leeds] = await waveRows();
    expect([day(pilot.plannedStartAt), day(pilot.deadlineAt), pilot.startOffsetDays, pilot.deadlineOffsetDays]).toEqual(["2004-06-01", "2004-06-30", null, 0]);
    expect([day(hq.plannedStartAt), day(hq.deadlineAt)]).toEqual(["2004-07-14", "2004-07-28"]);
    expect([day(leeds.plannedStartAt), day(leeds.deadlineAt), leeds.maxDevicesPerDay, leeds.complianceTargetPct]).toEqual(["2004-08-04", "2004-09-30", 25, 95]);
  });

  it("a slip moves exactly the offset dates of the waves not started, by the slip, and says so", async () => {
    const [pilot] = await waveRows();
    await performWaveAction(editor, { rolloutId, waveId: pilot.id, action: "start" });
    const slip = await recordSlip(editor, { update: "xp-sp2", plannedDate: "2004-07-31", note: "RC2 is late." });
    expect(slip.moved.map((m) => [m.wave, m.field, m.days, m.to.slice(0, 10)])).toEqual([
      ["HQ", "planned_start", 31, "2004-08-14"],
      ["HQ", "deadline", 31, "2004-08-28"],
      ["Leeds", "planned_start", 31, "2004-09-04"],
    ]);
    const [pilotAfter, hq, leeds] = await waveRows();
    // The pilot started: its offset deadline stays; Leeds' deadline is a date: it stays.
    expect(day(pilotAfter.deadlineAt)).toBe("2004-06-30");
    expect([day(hq.plannedStartAt), day(hq.deadlineAt), day(leeds.plannedStartAt), day(leeds.deadlineAt)]).toEqual(["2004-08-14", "2004-08-28", "2004-09-04", "2004-09-30"]);
    expect(await handle.db.select().from(waveDateMoves)).toHaveLength(3);

    const audit = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "wave.date_moved"));
    expect(audit).toHaveLength(3);
    expect(JSON.stringify(audit.map((a) => a.after))).toMatch(/Planned start moved 31 days by the slip of \d{4}-\d{2}-\d{2} \(2004-07-14 → 2004-08-14\)/);
    const [event] = await handle.db.select().from(outboxEvents).where(eq(outboxEvents.type, "update.slipped")).orderBy(asc(outboxEvents.id)).offset(1);
    expect(event.data).toMatchObject({ from: "2004-06-30", to: "2004-07-31", movedWaveDates: expect.arrayContaining([expect.objectContaining({ wave: "HQ", field: "deadline", days: 31 })]) });

    const detail = await getRolloutDetail(viewer, rolloutId);
    expect(detail.waves[1].dateMoves.map((m) => [m.field, m.days, m.note]).sort()).toEqual([
      ["deadline", 31, "RC2 is late."],
      ["planned_start", 31, "RC2 is late."],
    ]);
    expect(detail.waves[0].dateMoves).toEqual([]);
    const progress = await getRolloutProgress(viewer, rolloutId);
    expect(progress.waves[2]).toMatchObject({ plannedStart: "2004-09-04T00:00:00.000Z", startOffsetDays: 35, deadline: "2004-09-30T00:00:00.000Z", complianceTarget: 95, maxDevicesPerDay: 25 });
    expect(progress.waves[2].forecast.status).toBe("late");
  });

  describe("POST /api/v1/updates/{slug}/slips", () => {
    const call = (body: unknown, token?: string) =>
      postSlip(
        new Request("http://127.0.0.1:3999/api/v1/updates/xp-sp2/slips", {
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ slug: "xp-sp2" }) },
      );

    it("401 without credentials, 403 for a read token, 422 per field, 404 for an unknown update, 201 with the moves", async () => {
      const system = { kind: "system", label: "test" } as const;
      const manage = (await createApiToken(system, { name: "planner", scopes: ["manage"] })).token;
      const read = (await createApiToken(system, { name: "reader", scopes: ["read"] })).token;
      const good = { plannedDate: "2004-08-06", note: "Released to manufacturing a week later." };
      expect((await call(good)).status).toBe(401);
      expect((await call(good, read)).status).toBe(403);

      const refused = await call({ plannedDate: "2004-07-01", note: "x" }, manage);
      expect(refused.status).toBe(422);
      expect(refused.headers.get("content-type")).toMatch(/problem\+json/);
      const problem = await refused.json();
      expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["note"]);
      const earlier = await (await call({ plannedDate: "2004-07-01", note: "Earlier than before" }, manage)).json();
      expect(earlier.errors).toEqual([{ path: "plannedDate", message: expect.stringMatching(/previous planned date is 2004-07-31/) }]);
      expect((await call("not an object", manage)).status).toBe(400);

      const unknown = await postSlip(
        new Request("http://127.0.0.1:3999/api/v1/updates/nope/slips", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${manage}` }, body: JSON.stringify(good) }),
        { params: Promise.resolve({ slug: "nope" }) },
      );
      expect(unknown.status).toBe(404);
      // Nothing of the refused calls was saved.
      expect(await handle.db.select().from(waveDateMoves)).toHaveLength(3);

      const created = await call(good, manage);
      expect(created.status).toBe(201);
      const body = await created.json();
      expect(body).toMatchObject({ update: "xp-sp2", plannedDate: "2004-08-06", previous: "2004-07-31" });
      expect(body.movedWaveDates.map((m: { wave: string; days: number }) => `${m.wave}:${m.days}`)).toEqual(["HQ:6", "HQ:6", "Leeds:6"]);
      const slips = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "update.slip"));
      expect(slips.at(-1)).toMatchObject({ actorLabel: "token:planner", targetId: "xp-sp2" });
    });
  });
});
