// The device pages' forms through their server actions: a refused submit answers the message next
// to the field and every value the user typed, so the form is filled in again; nothing is written.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { departments, sites } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { mediaOverdueDaysAction } from "../rollouts/actions";
import { createDepartmentAction, createSiteAction, releaseHoldAction } from "./actions";

const session = vi.hoisted(() => ({ actor: null as UserActor | null }));
vi.mock("@/lib/auth/session", () => ({ requireActionActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

describe.each(testDbKinds)("device and offline-media forms on %s", (kind) => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await makeCatalog(handle.db);
    session.actor = await makeUser(handle.db, "editor");
  });
  afterAll(() => handle?.close());

  it("a site named like an existing one (any case) is refused next to its name, with everything typed kept", async () => {
    const typed = { name: "leeds", kind: "branch", linkKbps: "2048", distributionPoint: "LDS-DP-02" };
    const state = await createSiteAction({}, form(typed));
    expect(state).toMatchObject({ fieldErrors: { name: [expect.stringMatching(/A site named "leeds" exists already/)] }, values: typed });
    expect(state.ok).toBeUndefined();
    expect(await handle.db.select().from(sites).where(sql`lower(${sites.name}) = 'leeds'`)).toHaveLength(1);
  });

  it("a site with a link speed that is not a number is refused with 422's message on that field, the values kept", async () => {
    const typed = { name: "Bristol", kind: "branch", linkKbps: "fast", distributionPoint: "" };
    const state = await createSiteAction({}, form(typed));
    expect(state).toMatchObject({ error: expect.stringMatching(/nothing was saved/), fieldErrors: { linkKbps: [expect.any(String)] }, values: typed });
    expect(await handle.db.select().from(sites).where(eq(sites.name, "Bristol"))).toHaveLength(0);
    expect(await createSiteAction({}, form({ ...typed, linkKbps: "2048" }))).toMatchObject({ ok: true, message: "Site Bristol created." });
  });

  it("a department without a name is refused next to the field", async () => {
    const state = await createDepartmentAction({}, form({ name: "   " }));
    expect(state).toMatchObject({ fieldErrors: { name: ["Name the department."] }, values: { name: "   " } });
    expect(await handle.db.select().from(departments)).toHaveLength(3);
  });

  it("a hold release without a reason keeps what was typed", async () => {
    const state = await releaseHoldAction("HQ-CRM-1", "xp-sp2", {}, form({ reason: "ok" }));
    expect(state).toMatchObject({ fieldErrors: { reason: [expect.stringMatching(/at least 5 characters/)] }, values: { reason: "ok" } });
  });

  it("an offline-media overdue threshold of 0 days is refused next to the field, with what was typed kept", async () => {
    const typed = { mediaOverdueDays: "0" };
    const state = await mediaOverdueDaysAction(1, 1, {}, form(typed));
    expect(state).toMatchObject({ fieldErrors: { mediaOverdueDays: ["At least 1 day."] }, values: typed });
    expect(state.ok).toBeUndefined();
  });
});
