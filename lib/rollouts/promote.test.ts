// Promotion moves exactly the waves that are not completed (and the rollout) to a newer build;
// an older, equal or unknown build is refused with nothing saved; machines that installed the
// older build are "installed, behind" in their wave (from deployment_counts by build).
import { asc, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import * as s from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { behindOf, readWaveBuilds, summariseWithBehind } from "./build-mix";
import { promoteRollout } from "./promote";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";
import { rejection } from "@/test/support/rejection";

const at = (minutes: number) => new Date(Date.parse("2004-08-25T09:00:00Z") + minutes * 60_000).toISOString();

describe("installed, behind (pure)", () => {
  it("counts installed machines on a known build older than the target, and takes them out of installed but not out of scope", () => {
    const mix = [
      { buildId: 0, installed: 4, other: 0 },
      { buildId: 2, installed: 3, other: 1 },
      { buildId: 3, installed: 5, other: 2 },
      { buildId: 4, installed: 7, other: 0 },
    ];
    expect(behindOf(mix, 4)).toBe(8);
    expect(behindOf(mix, 2)).toBe(0);
    expect(behindOf(mix, null)).toBe(0);
    const summary = summariseWithBehind({ installed: 19, failed: 1, pending: 10, not_applicable: 2 }, 8);
    expect(summary).toMatchObject({ installed: 11, behind: 8, inScope: 30, failed: 1 });
    expect(summary.installedPct).toBeCloseTo((11 / 30) * 100);
    expect(summary.failurePct).toBeCloseTo((1 / 12) * 100);
  });
});

describe.each(testDbKinds)("promoting a rollout's build on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;
  let rtm: number;
  let v2: number;
  let v3: number;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await createIngestFixture(handle.db, { devices: 8, updates: 1, planned: 6 });
    const [rollout] = await queryRows<{ build_id: number }>(handle.db, sql`select build_id from rollouts where id = ${fx.rolloutId}`);
    rtm = rollout.build_id;
    const added = await handle.db
      .insert(s.builds)
      .values([
        { updateId: fx.updates[0].id, name: "Refresh", version: "5.1.2600.2181", kind: "final" },
        { updateId: fx.updates[0].id, name: "Refresh 2", version: "5.1.2600.2190", kind: "final" },
      ])
      .returning({ id: s.builds.id });
    [v2, v3] = added.map((b) => b.id);
    // Wave 0 (the fixture's, active) holds devices 0–5; wave 1 is completed, wave 2 planned.
    await handle.db.insert(s.waves).values([
      { rolloutId: fx.rolloutId, position: 1, name: "1 – Headquarters", status: "completed" },
      { rolloutId: fx.rolloutId, position: 2, name: "2 – Branch offices", status: "planned" },
    ]);
  });
  afterAll(() => handle?.close());

  const waveBuilds = () =>
    handle.db.select({ name: s.waves.name, status: s.waves.status, buildId: s.waves.buildId }).from(s.waves).where(eq(s.waves.rolloutId, fx.rolloutId)).orderBy(asc(s.waves.position));
  const rolloutBuild = async () => (await handle.db.select({ buildId: s.rollouts.buildId }).from(s.rollouts).where(eq(s.rollouts.id, fx.rolloutId)))[0].buildId;

  it("refuses an unknown, equal or older build, and a viewer, with nothing saved", async () => {
    const before = await waveBuilds();
    const unknown = await rejection(promoteRollout(fx.editor, { rolloutId: fx.rolloutId, build: "Beta 9", note: "" }));
    expect(unknown.status).toBe(422);
    expect(unknown.extra.errors).toEqual([{ path: "build", message: expect.stringMatching(/Unknown build "Beta 9"; this update's builds are RTM/) }]);
    const same = await rejection(promoteRollout(fx.editor, { rolloutId: fx.rolloutId, build: "rtm" }));
    expect(same.status).toBe(422);
    expect(same.message).toMatch(/already targets RTM/);
    expect((await rejection(promoteRollout(fx.viewer, { rolloutId: fx.rolloutId, build: "Refresh" }))).status).toBe(403);
    expect((await rejection(promoteRollout(fx.editor, { rolloutId: fx.rolloutId, build: "" }))).status).toBe(422);
    expect((await rejection(promoteRollout(fx.editor, { rolloutId: 999_999, build: "Refresh" }))).status).toBe(404);
    expect(await waveBuilds()).toEqual(before);
    expect(await rolloutBuild()).toBe(rtm);
  });

  it("moves the waves that are not completed and the rollout; the completed wave keeps the build it ran; machines on the old build are behind", async () => {
    const installed = await ingestStatusEvents(
      fx.ingestToken,
      [0, 1, 2].map((d) => ({ device: fx.devices[d].hostname, update: fx.updates[0].slug, state: "installed", occurredAt: at(d), eventId: `p-${d}` })),
      { db: handle.db },
    );
    expect(installed.accepted).toBe(3);
    expect((await readWaveBuilds(fx.viewer, fx.rolloutId)).get(fx.waveId)).toMatchObject({ target: { id: rtm }, behind: 0, mix: [{ build: { id: rtm }, installed: 3, other: 0 }] });

    const promotion = await promoteRollout(fx.editor, { rolloutId: fx.rolloutId, build: "5.1.2600.2181", note: "Vendor refresh" });
    expect(promotion).toMatchObject({ from: { id: rtm }, to: { id: v2, name: "Refresh" }, moved: [{ name: "0 – IT department pilot" }, { name: "2 – Branch offices" }] });
    expect(await waveBuilds()).toEqual([
      { name: expect.any(String), status: "active", buildId: v2 },
      { name: "1 – Headquarters", status: "completed", buildId: rtm },
      { name: "2 – Branch offices", status: "planned", buildId: v2 },
    ]);
    expect(await rolloutBuild()).toBe(v2);
    const [audit] = await queryRows<{ after: { build: string; note: string } }>(handle.db, sql`select after from audit_entries where action = 'rollout.promote' order by id desc limit 1`);
    expect(audit.after).toMatchObject({ build: "Refresh", note: "Vendor refresh" });

    const wave = (await readWaveBuilds(fx.viewer, fx.rolloutId)).get(fx.waveId)!;
    expect(wave).toMatchObject({ target: { id: v2, name: "Refresh" }, behind: 3 });

    // A report without a build is now about Refresh: that machine is no longer behind.
    await ingestStatusEvents(fx.ingestToken, [{ device: fx.devices[0].hostname, update: fx.updates[0].slug, state: "installed", occurredAt: at(60), eventId: "p-10" }], { db: handle.db });
    const after = (await readWaveBuilds(fx.viewer, fx.rolloutId)).get(fx.waveId)!;
    expect(after.behind).toBe(2);
    expect(after.mix).toEqual([
      { build: { id: rtm, name: "RTM", version: "5.1.2600.2180" }, installed: 2, other: 0 },
      { build: { id: v2, name: "Refresh", version: "5.1.2600.2181" }, installed: 1, other: 0 },
    ]);

    // Back to an older build: refused.
    const older = await rejection(promoteRollout(fx.editor, { rolloutId: fx.rolloutId, build: "RTM" }));
    expect(older.status).toBe(422);
    expect(older.message).toMatch(/RTM \(5\.1\.2600\.2180\) is older than Refresh/);
  });

  it("whatever the waves' statuses, exactly the ones not completed move", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom("planned", "active", "paused", "halted", "completed" as const), { minLength: 3, maxLength: 3 }), async (statuses) => {
        const all = await waveBuilds();
        const rows = await handle.db.select({ id: s.waves.id }).from(s.waves).where(eq(s.waves.rolloutId, fx.rolloutId)).orderBy(asc(s.waves.position));
        for (const [i, row] of rows.entries()) await handle.db.update(s.waves).set({ status: statuses[i], buildId: v2 }).where(eq(s.waves.id, row.id));
        await handle.db.update(s.rollouts).set({ buildId: v2 }).where(eq(s.rollouts.id, fx.rolloutId));
        const open = statuses.filter((x) => x !== "completed").length;
        if (!open) {
          expect((await rejection(promoteRollout(fx.editor, { rolloutId: fx.rolloutId, build: "Refresh 2" }))).status).toBe(409);
        } else {
          const p = await promoteRollout(fx.editor, { rolloutId: fx.rolloutId, build: "Refresh 2" });
          expect(p.moved).toHaveLength(open);
        }
        const now = await waveBuilds();
        expect(now.map((w) => w.buildId)).toEqual(statuses.map((x) => (x === "completed" || !open ? v2 : v3)));
        expect(all).toHaveLength(3);
      }),
      { numRuns: 12 },
    );
  });
});
