// The build of each status event and deployment: named (by name or version, any case), else the
// build the deployment's wave targets, else its rollout's; none outside a rollout; an unknown build
// is that row's error while the good rows are stored.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "@/db/client";
import * as s from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { importStatusEventsCsv } from "./ingest-csv";
import { ingestStatusEvents } from "./ingest";
import { verifySummaries } from "./summaries";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";

const at = (minutes: number) => new Date(Date.parse("2004-08-25T09:00:00Z") + minutes * 60_000).toISOString();

describe.each(testDbKinds)("builds in status ingest on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;
  let rtm: number;
  let rc1: number;
  let rc2: number;
  const ingest = (events: unknown[]) => ingestStatusEvents(fx.ingestToken, events, { db: handle.db });

  beforeAll(async () => {
    handle = await createTestDb(kind);
    fx = await createIngestFixture(handle.db, { devices: 8, updates: 2, planned: 4 });
    const [rollout] = await queryRows<{ build_id: number }>(handle.db, sql`select build_id from rollouts where id = ${fx.rolloutId}`);
    rtm = rollout.build_id;
    const added = await handle.db
      .insert(s.builds)
      .values([
        { updateId: fx.updates[0].id, name: "RC1", version: "5.1.2600.2082", kind: "rc" },
        { updateId: fx.updates[0].id, name: "RC2", version: "5.1.2600.2149", kind: "rc" },
      ])
      .returning({ id: s.builds.id });
    [rc1, rc2] = added.map((b) => b.id);
  });
  afterAll(() => handle?.close());

  async function buildOf(deviceIndex: number, updateIndex = 0): Promise<number | null | undefined> {
    const [row] = await queryRows<{ build_id: number | null }>(
      handle.db,
      sql`select build_id from deployments where device_id = ${fx.devices[deviceIndex].id} and update_id = ${fx.updates[updateIndex].id}`,
    );
    return row?.build_id;
  }

  async function expectNoDrift() {
    const report = await verifySummaries(handle.db);
    expect(report.countDrift).toEqual([]);
    expect(report.adoptionDrift).toEqual([]);
  }

  it("an event without a build is about its rollout's build; one naming a build (name or version, any case) is about that one", async () => {
    const answer = await ingest([
      { device: "WS-0000", update: "windows-xp-sp2", state: "installed", occurredAt: at(1), eventId: "b-1" },
      { device: "WS-0001", update: "windows-xp-sp2", state: "installed", occurredAt: at(1), eventId: "b-2", build: "rc1" },
      { device: "WS-0002", update: "windows-xp-sp2", state: "installing", occurredAt: at(1), eventId: "b-3", build: "5.1.2600.2149" },
    ]);
    expect(answer).toMatchObject({ accepted: 3, rejected: [] });
    expect([await buildOf(0), await buildOf(1), await buildOf(2)]).toEqual([rtm, rc1, rc2]);
    const events = await queryRows<{ event_id: string; build_id: number | null }>(
      handle.db,
      sql`select event_id, build_id from status_events where event_id in ('b-1', 'b-2', 'b-3') order by event_id`,
    );
    expect(events.map((e) => e.build_id)).toEqual([rtm, rc1, rc2]);
    const installs = await queryRows<{ build_id: number; installed: number }>(
      handle.db,
      sql`select build_id, installed from adoption_daily where update_id = ${fx.updates[0].id} and installed <> 0 order by build_id`,
    );
    expect(installs).toEqual([
      { build_id: rtm, installed: 1 },
      { build_id: rc1, installed: 1 },
    ].sort((a, b) => a.build_id - b.build_id));
    await expectNoDrift();
  });

  it("the wave's build wins over the rollout's; a newer event moves the deployment and its counts to its build", async () => {
    await handle.db.update(s.waves).set({ buildId: rc2 }).where(eq(s.waves.id, fx.waveId));
    expect(await ingest([{ device: "WS-0001", update: "windows-xp-sp2", state: "installed", occurredAt: at(10), eventId: "b-4" }])).toMatchObject({ accepted: 1 });
    expect(await buildOf(1)).toBe(rc2);
    // An older event naming RC1 is stale: kept in the history with its build, the deployment unchanged.
    expect(await ingest([{ device: "WS-0001", update: "windows-xp-sp2", state: "installed", occurredAt: at(5), eventId: "b-5", build: "RC1" }])).toMatchObject({ stale: 1 });
    expect(await buildOf(1)).toBe(rc2);
    const [stale] = await queryRows<{ build_id: number }>(handle.db, sql`select build_id from status_events where event_id = 'b-5'`);
    expect(stale.build_id).toBe(rc1);
    const counts = await queryRows<{ build_id: number; n: number }>(
      handle.db,
      sql`select build_id, sum(count)::int as n from deployment_counts where wave_id = ${fx.waveId} and state = 'installed' and count <> 0 group by 1 order by 1`,
    );
    expect(counts).toEqual([{ build_id: rtm, n: 1 }, { build_id: rc2, n: 1 }].sort((a, b) => a.build_id - b.build_id));
    await handle.db.update(s.waves).set({ buildId: null }).where(eq(s.waves.id, fx.waveId));
    await expectNoDrift();
  });

  it("outside a rollout an event without a build has none; an unknown build or another update's build is that row's error, good rows kept", async () => {
    const answer = await ingest([
      { device: "WS-0006", update: "windows-xp-sp2", state: "installed", occurredAt: at(1), eventId: "c-1" },
      { device: "WS-0007", update: "windows-xp-sp2", state: "installed", occurredAt: at(1), eventId: "c-2", build: "Beta 9" },
      { device: "WS-0007", update: "update-1", state: "installed", occurredAt: at(1), eventId: "c-3", build: "RC2" },
      { device: "WS-0005", update: "windows-xp-sp2", state: "installed", occurredAt: at(1), eventId: "c-4", build: "RC2" },
    ]);
    expect(answer.accepted).toBe(2);
    expect(answer.rejected).toEqual([
      { index: 1, errors: [{ path: "build", message: expect.stringMatching(/unknown build "Beta 9" for update "windows-xp-sp2"; its builds are RTM .*RC1 .*RC2/) }] },
      { index: 2, errors: [{ path: "build", message: 'unknown build "RC2": update "update-1" has no builds' }] },
    ]);
    expect(await buildOf(6)).toBeNull();
    expect(await buildOf(5)).toBe(rc2);
    expect(await buildOf(7)).toBeUndefined();
    expect(await buildOf(7, 1)).toBeUndefined();
    await expectNoDrift();
  });

  it("a CSV file carries the build column", async () => {
    const file = ["device,update,state,occurredAt,build", `WS-0003,windows-xp-sp2,installed,${at(30)},RC1`, `WS-0004,windows-xp-sp2,installed,${at(30)},nope`].join("\n");
    const result = await importStatusEventsCsv(fx.ingestToken, file, { db: handle.db });
    expect(result).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect(result.rejectedRows[0]).toMatchObject({ line: 3, errors: [{ path: "build" }] });
    expect(await buildOf(3)).toBe(rc1);
    await expectNoDrift();
  });
});
