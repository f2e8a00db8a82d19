// The rollout pages' actions and the status-event import form, through their server actions: a
// refused wave action keeps the reason typed and names the field; the planner's preview answers
// its problems per field path; a refused upload names the file field.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, waves } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { saveRolloutPlan } from "@/lib/rollouts/plan";
import { addDevices, makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { importStatusEventsAction } from "../events/import/actions";
import { previewPlanAction, savePlanAction, waveActionAction } from "./actions";

const session = vi.hoisted(() => ({ actor: null as UserActor | null }));
vi.mock("@/lib/auth/session", () => ({ requireActionActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

function form(fields: Record<string, string | File>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

describe.each(testDbKinds)("rollout and status-import forms on %s", (kind) => {
  let handle: DbHandle;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let rolloutId: number;
  let waveIds: number[];

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, [
      ...Array.from({ length: 3 }, (_, i) => ({ hostname: `IT-WS-${i}`, department: "IT" })),
      ...Array.from({ length: 5 }, (_, i) => ({ hostname: `HQ-WS-${i}`, department: "Sales" })),
    ]);
    session.actor = await makeUser(handle.db, "editor");
    ({ rolloutId } = await saveRolloutPlan(session.actor, {
      buildId: catalog.builds[1].id,
      name: "SP2",
      waves: [
        { name: "Pilot", targeting: { departmentIds: [catalog.dept("IT").id] } },
        { name: "Sales", targeting: {} },
      ],
    }));
    waveIds = (await handle.db.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(waves.position)).map((w) => w.id);
  });
  afterAll(() => handle?.close());

  it("a wave started before the previous gate passed, without a reason, is refused at the reason field; the wave stays planned", async () => {
    expect(await waveActionAction(rolloutId, waveIds[0], {}, form({ action: "start", reason: "" }))).toMatchObject({ ok: true, message: "Pilot is now active." });
    const state = await waveActionAction(rolloutId, waveIds[1], {}, form({ action: "start", reason: "" }));
    expect(state).toMatchObject({ fieldErrors: { reason: [expect.stringMatching(/"Pilot" has not passed its health gate yet/)] }, values: { action: "start", reason: "" } });
    const [sales] = await handle.db.select().from(waves).where(eq(waves.id, waveIds[1]));
    expect(sales.status).toBe("planned");
  });

  it("a halt with too short a reason keeps the reason typed, next to its message, and changes nothing", async () => {
    const state = await waveActionAction(rolloutId, waveIds[0], {}, form({ action: "halt", reason: "flaky" }));
    expect(state).toMatchObject({ fieldErrors: { reason: ["Write a reason of at least 10 characters."] }, values: { action: "halt", reason: "flaky" } });
    expect(state.ok).toBeUndefined();
    const [pilot] = await handle.db.select().from(waves).where(eq(waves.id, waveIds[0]));
    expect(pilot.status).toBe("active");
    expect(await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "wave.halt"))).toHaveLength(0);
    const halted = await waveActionAction(rolloutId, waveIds[0], {}, form({ action: "halt", reason: "Two machines lost their network" }));
    expect(halted).toMatchObject({ ok: true, message: "Pilot is now halted." });
  });

  it("an unknown action is a 422 on the action field", async () => {
    const state = await waveActionAction(rolloutId, waveIds[1], {}, form({ action: "explode", reason: "" }));
    expect(state).toMatchObject({ error: "The wave action is invalid.", fieldErrors: { action: [expect.stringMatching(/start, pause, resume, halt, complete/)] } });
  });

  it("the planner's preview answers its problems per field path, with the preview of what is valid", async () => {
    const state = await previewPlanAction({
      buildId: catalog.builds[1].id,
      name: "Another",
      waves: [{ name: "Unknown hosts", targeting: { hostnames: ["NO-SUCH-HOST"] } }],
    });
    expect(state.fieldErrors).toMatchObject({
      buildId: [expect.stringMatching(/already has an open rollout/)],
      "waves.0.targeting.hostnames": ["Unknown hostnames: NO-SUCH-HOST."],
    });
    expect(state.preview?.total).toBe(8);
    expect((await previewPlanAction({ buildId: "", name: "", waves: [] })).fieldErrors).toMatchObject({ name: ["Name the rollout."], waves: ["Add at least one wave."] });
  });

  it("Save plan opens the rollout page with the saved plan's confirmation", async () => {
    const redirected = await savePlanAction({
      rolloutId,
      buildId: catalog.builds[1].id,
      name: "SP2",
      waves: [
        { id: waveIds[0], name: "Pilot", targeting: { departmentIds: [catalog.dept("IT").id] } },
        { id: waveIds[1], name: "Sales", targeting: {} },
      ],
    }).then(
      (state) => ({ state }),
      (error: { digest?: string }) => ({ digest: error.digest }),
    );
    // next/navigation's redirect() throws; its digest carries the address.
    expect(redirected).toMatchObject({ digest: expect.stringContaining(`/rollouts/${rolloutId}?saved=1;`) });
  });

  it("an upload without a file is refused at the file field; a CSV is read and its rows counted", async () => {
    expect(await importStatusEventsAction({}, form({}))).toMatchObject({ fieldErrors: { file: ["Choose a CSV file to import."] } });
    const csv = "device,update,state,occurredAt\nIT-WS-0,xp-sp2,installed,2004-08-25T18:40:00Z\nNO-SUCH-PC,xp-sp2,installed,2004-08-25T18:40:00Z\n";
    const state = await importStatusEventsAction({}, form({ file: new File([csv], "home-workers.csv", { type: "text/csv" }) }));
    expect(state).toMatchObject({ ok: true, message: "home-workers.csv: 2 rows read.", result: { rows: 2, accepted: 1, rejected: 1, rejectedRows: [{ line: 3 }] } });
  });
});
