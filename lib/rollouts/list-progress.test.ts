import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { HttpError } from "@/lib/http/problem";
import { addDevices, makeCatalog, makeUser, setStates } from "@/test/support/fixtures/catalog";
import { saveRolloutPlan } from "./plan";
import { progressOfRollouts } from "./queries";

// The rollouts list's progress column ("installed of in scope") must say what the deployments say:
// the same numbers as a GROUP BY over them, never counting machines the update does not apply to.
describe.each(testDbKinds)("the rollouts list's progress on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let rolloutId: number;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    const catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, [
      ...Array.from({ length: 4 }, (_, i) => ({ hostname: `IT-${i}`, department: "IT" })),
      ...Array.from({ length: 6 }, (_, i) => ({ hostname: `HQ-${i}` })),
      ...Array.from({ length: 3 }, (_, i) => ({ hostname: `W2K-${i}`, osName: "Windows 2000" })),
    ]);
    const saved = await saveRolloutPlan(editor, {
      buildId: catalog.builds[1].id,
      name: "SP2 rollout",
      waves: [
        { name: "Pilot", targeting: { departmentIds: [catalog.dept("IT").id] } },
        { name: "Everyone else", targeting: {} },
      ],
    });
    rolloutId = saved.rolloutId;
    await setStates(handle.db, catalog.update.id, { "IT-0": "installed", "IT-1": "installed", "IT-2": "failed", "HQ-0": "installed", "HQ-1": "downloading" });
  });
  afterAll(() => handle?.close());

  it("counts installed of in-scope machines per rollout as a GROUP BY over its deployments does", async () => {
    const [expected] = await queryRows<{ installed: number; in_scope: number }>(
      handle.db,
      sql`select count(*) filter (where state = 'installed')::int as installed,
                 count(*) filter (where state not in ('not_applicable', 'excluded'))::int as in_scope
          from deployments where rollout_id = ${rolloutId} and wave_id is not null`,
    );
    const progress = (await progressOfRollouts(viewer, [rolloutId])).get(rolloutId);
    expect(progress).toEqual({ installed: Number(expected.installed), inScope: Number(expected.in_scope), installedPct: (Number(expected.installed) / Number(expected.in_scope)) * 100 });
    // The three Windows 2000 machines are not applicable: 3 of the 10 XP machines are installed.
    expect(progress).toEqual({ installed: 3, inScope: 10, installedPct: 30 });
  });

  it("reads 0 of 0 for a rollout without deployments and nothing for an empty list", async () => {
    expect((await progressOfRollouts(viewer, [rolloutId + 1000])).get(rolloutId + 1000)).toEqual({ installed: 0, inScope: 0, installedPct: null });
    expect((await progressOfRollouts(viewer, [])).size).toBe(0);
  });

  it("is refused to a caller who may not read rollouts", async () => {
    await expect(progressOfRollouts(null, [rolloutId])).rejects.toBeInstanceOf(HttpError);
  });
});
