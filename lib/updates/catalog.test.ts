import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { makeUser } from "@/test/support/fixtures/catalog";
import { addBuild, createUpdate, editUpdate, getUpdate, listUpdates, recordSlip } from "./catalog";

describe.each(testDbKinds)("update catalog on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
  });
  afterAll(() => handle?.close());

  const sp2 = {
    slug: "xp-sp2",
    title: "Windows XP Service Pack 2",
    vendor: "Microsoft",
    product: "Windows XP",
    kind: "service_pack" as const,
    sizeBytes: 272_000_000,
    applicableOsNames: "Windows XP",
    plannedReleaseDate: "2004-06-30",
  };

  it("creates an update with builds and a release timeline that slips June → July → August", async () => {
    await createUpdate(editor, sp2);
    await addBuild(editor, { update: "xp-sp2", name: "RC1", version: "2055", kind: "rc" });
    await addBuild(editor, { update: "xp-sp2", name: "RC2", version: "2149", kind: "rc" });
    await addBuild(editor, { update: "xp-sp2", name: "Final", version: "2180", kind: "final", releasedAt: "2004-08-06" });
    await recordSlip(editor, { update: "xp-sp2", plannedDate: "2004-07-31", note: "RC2 feedback" });
    await recordSlip(editor, { update: "xp-sp2", plannedDate: "2004-08-25", note: "More compatibility testing" });
    const detail = await getUpdate(viewer, "xp-sp2");
    expect(detail.releaseHistory.map((s) => s.plannedDate)).toEqual(["2004-06-30", "2004-07-31", "2004-08-25"]);
    expect(detail.update.plannedReleaseDate).toBe("2004-08-25");
    expect(detail.update.applicableOsNames).toEqual(["Windows XP"]);
    expect(detail.builds.map((b) => b.name)).toEqual(["RC1", "RC2", "Final"]);
    expect((await listUpdates(viewer))[0].builds).toHaveLength(3);
    expect(await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "update.slip"))).toHaveLength(2);
  });

  it("refuses a slip date before (or on) the previous one, a duplicate slug or build, and viewers", async () => {
    await expect(recordSlip(editor, { update: "xp-sp2", plannedDate: "2004-08-01", note: "Earlier?" })).rejects.toMatchObject({
      status: 422,
      extra: { errors: [{ path: "plannedDate", message: expect.stringMatching(/previous planned date is 2004-08-25/) }] },
    });
    await expect(recordSlip(editor, { update: "xp-sp2", plannedDate: "2004-08-25", note: "Same day" })).rejects.toMatchObject({ status: 422 });
    await expect(createUpdate(editor, sp2)).rejects.toMatchObject({ status: 409, extra: { errors: [{ path: "slug" }] } });
    await expect(addBuild(editor, { update: "xp-sp2", name: "rc1", version: "x", kind: "rc" })).rejects.toMatchObject({ status: 409 });
    await expect(createUpdate(viewer, { ...sp2, slug: "other" })).rejects.toMatchObject({ status: 403 });
    await expect(createUpdate(editor, { ...sp2, slug: "Not A Slug" })).rejects.toThrow();
    expect((await getUpdate(viewer, "xp-sp2")).releaseHistory).toHaveLength(3);
  });

  it("edits fields without touching the planned date", async () => {
    await editUpdate(editor, { update: "xp-sp2", ...sp2, vendorStatus: "Released to manufacturing", plannedReleaseDate: "2001-01-01" });
    const detail = await getUpdate(viewer, "xp-sp2");
    expect(detail.update.vendorStatus).toBe("Released to manufacturing");
    expect(detail.update.plannedReleaseDate).toBe("2004-08-25");
  });
});
