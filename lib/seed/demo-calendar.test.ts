// The demo tells the rollout calendar (issue #18 item 8), on both databases: SP2's waves are dated
// from the release (pilot before it, HQ +14, branches +35, home workers +56), the slips since the
// rollout was planned moved them (visible per wave), the forecast has headquarters on track and the
// branch offices at risk, and statuses agree with the seed's day (no installs in a wave not started).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { getRolloutDetail } from "@/lib/rollouts/queries";
import { getOverview } from "@/lib/overview/queries";
import { seedDemo } from "./demo";

const system = { kind: "system", label: "test" } as const;

describe.each(testDbKinds)("the demo's calendar on %s", (kind) => {
  let handle: DbHandle;
  let rolloutId: number;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await seedDemo(handle.db);
    [{ id: rolloutId }] = await queryRows<{ id: number }>(handle.db, sql`select id from rollouts order by id limit 1`);
  }, 240_000);
  afterAll(() => handle?.close());

  it("dates the waves from the release, moved by the slips, with HQ on track and the branch offices at risk", async () => {
    const detail = await getRolloutDetail(system, rolloutId);
    const [pilot, hq, branches, home] = detail.waves;
    const [release] = await queryRows<{ day: string }>(handle.db, sql`select planned_release_date::text as day from updates where slug = 'windows-xp-sp2'`);
    const dayOf = (iso: string | null) => iso!.slice(0, 10);
    const plus = (days: number) => new Date(Date.parse(`${release.day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    expect(dayOf(pilot.calendar.plannedStart) < release.day).toBe(true);
    expect([hq, branches, home].map((w) => [w.calendar.startOffsetDays, dayOf(w.calendar.plannedStart)])).toEqual([
      [14, plus(14)],
      [35, plus(35)],
      [56, plus(56)],
    ]);
    expect(Object.fromEntries(detail.waves.map((w) => [w.name, w.calendar.forecast.status]))).toEqual({
      "0 – IT department pilot": "done",
      "1 – headquarters": "on_track",
      "2 – branch offices": "at_risk",
      "3 – home workers": "no_data",
    });
    // Two slips since the rollout was planned (a month, then a week), each moving start and deadline.
    for (const wave of [hq, branches, home]) expect(wave.dateMoves.map((m) => `${m.field}:${m.days}`).sort()).toEqual(["deadline:30", "deadline:7", "planned_start:30", "planned_start:7"]);
    expect(pilot.dateMoves).toEqual([]);

    const overview = await getOverview(system);
    expect(overview.deadlineRisks.map((r) => r.wave.name)).toEqual(["2 – branch offices"]);
  });

  it("agrees with the seed's day: started waves began in the past, planned ones lie ahead with nothing installed", async () => {
    const detail = await getRolloutDetail(system, rolloutId);
    const now = Date.now();
    for (const wave of detail.waves) {
      if (wave.status === "planned") {
        expect(Date.parse(wave.calendar.plannedStart!)).toBeGreaterThan(now);
        expect(wave.summary.installed).toBe(0);
      } else {
        expect(Date.parse(wave.startedAt!)).toBeLessThan(now);
      }
    }
  });
});
