// The demo tells the builds story of issue #17: the pilot ran RC1, then RC2, then Final on IT
// workstations; the waves target Final; a few IT workstations are still on RC2 (installed,
// behind); every other installed machine has its build; the summaries agree by build.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { PILOT_STILL_ON_RC2 } from "@/db/seed/demo";
import { verifySummaries } from "@/lib/deployments/summaries";
import { readWaveBuilds } from "@/lib/rollouts/build-mix";
import { seedDemo, SP2_SLUG } from "./demo";

const system = { kind: "system", label: "test" } as const;

describe.each(testDbKinds)("the demo's builds on %s", (kind) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await seedDemo(handle.db);
  }, 300_000);
  afterAll(() => handle?.close());

  it("the pilot's history runs RC1, RC2, then Final, and every installed machine names its build", async () => {
    const pilot = await queryRows<{ build: string; events: number }>(
      handle.db,
      sql`select b.name as build, count(*)::int as events
          from status_events e join builds b on b.id = e.build_id join deployments d on d.device_id = e.device_id and d.update_id = e.update_id
          join waves w on w.id = d.wave_id
          where w.position = 0 group by b.id, b.name order by b.id`,
    );
    expect(pilot.map((p) => p.build)).toEqual(["RC1", "RC2", "Final"]);
    const [unknown] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from deployments where state = 'installed' and build_id is null`);
    expect(unknown.n).toBe(0);
    const drift = await verifySummaries(handle.db);
    expect(drift.countDrift).toEqual([]);
    expect(drift.adoptionDrift).toEqual([]);
  });

  it("every wave targets Final and a few IT workstations are installed, behind on RC2", async () => {
    const [rollout] = await queryRows<{ id: number }>(handle.db, sql`select r.id from rollouts r join updates u on u.id = r.update_id where u.slug = ${SP2_SLUG}`);
    const waves = [...(await readWaveBuilds(system, rollout.id)).values()];
    expect(waves.map((w) => w.target?.name)).toEqual(waves.map(() => "Final"));
    const pilot = waves[0];
    expect(pilot.behind).toBe(PILOT_STILL_ON_RC2);
    expect(pilot.mix.find((m) => m.build?.name === "RC2")?.installed).toBe(PILOT_STILL_ON_RC2);
    expect(waves.slice(1).every((w) => w.behind === 0)).toBe(true);
  });
});
