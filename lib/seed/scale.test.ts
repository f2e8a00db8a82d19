import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { verifySummaries } from "@/lib/deployments/summaries";
import { seedDemo } from "./demo";
import { seedScale } from "./scale";

describe.each(testDbKinds)("scale seed on %s", (kind) => {
  let handle: DbHandle;
  const progress: [number, number][] = [];
  let result: Awaited<ReturnType<typeof seedScale>>;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    // Uneven batches: 2,000 devices in batches of 700 (700, 700, 600).
    result = await seedScale(handle.db, 2_000, { batchSize: 700, onProgress: (done, total) => progress.push([done, total]) });
  });
  afterAll(() => handle?.close());

  const rows = <T,>(query: ReturnType<typeof sql>) => queryRows<T>(handle.db, query);

  it("adds the devices and one deployment per device and update", async () => {
    const [counts] = await rows<{ devices: number; updates: number; deployments: number; first: string; last: string }>(
      sql`select (select count(*)::int from devices) as devices, (select count(*)::int from updates) as updates,
                 (select count(*)::int from deployments) as deployments,
                 (select min(hostname) from devices) as first, (select max(hostname) from devices) as last`,
    );
    expect(counts).toEqual({ devices: 2_000, updates: 10, deployments: 20_000, first: "SCALE-000001", last: "SCALE-002000" });
    expect(result.deployments).toBe(20_000);
    expect(progress).toEqual([[700, 2_000], [1_400, 2_000], [2_000, 2_000]]);
  });

  it("gives a realistic mix of states, with Windows 2000 not applicable and outside the waves", async () => {
    const states = await rows<{ state: string; n: number }>(sql`select state::text, count(*)::int as n from deployments group by 1`);
    const count = Object.fromEntries(states.map((s) => [s.state, s.n]));
    expect(count.installed / 20_000).toBeGreaterThan(0.4);
    for (const state of ["not_applicable", "pending", "scheduled", "downloading", "installing", "reboot_required", "failed", "rolled_back"]) {
      expect(count[state], state).toBeGreaterThan(0);
    }
    const [win2000] = await rows<{ wrong: number }>(
      sql`select count(*)::int as wrong from deployments d join devices v on v.id = d.device_id
          where (v.os_name = 'Windows 2000') <> (d.state = 'not_applicable') or (d.state = 'not_applicable' and d.wave_id is not null)`,
    );
    expect(win2000.wrong).toBe(0);
    // A device's ring tag and its deployments' waves agree.
    const [rings] = await rows<{ wrong: number }>(
      sql`select count(*)::int as wrong from deployments d join devices v on v.id = d.device_id join waves w on w.id = d.wave_id
          where not (('scale-ring-' || w.position) = any(v.tags))`,
    );
    expect(rings.wrong).toBe(0);
  });

  it("stores the status event behind every state that is not pending", async () => {
    const [check] = await rows<{ missing: number; events: number; with_key: number }>(
      sql`select count(*) filter (where d.state_event_key is not null and e.id is null)::int as missing,
                 (select count(*)::int from status_events) as events,
                 count(*) filter (where d.state_event_key is not null)::int as with_key
          from deployments d
          left join status_events e on e.source = 'seed' and e.event_id || chr(31) || e.source = d.state_event_key
            and e.device_id = d.device_id and e.update_id = d.update_id and e.state = d.state and e.occurred_at = d.state_occurred_at`,
    );
    expect(check.missing).toBe(0);
    const [pending] = await rows<{ n: number }>(sql`select count(*)::int as n from deployments where state <> 'pending' and state_event_key is null`);
    expect(pending.n).toBe(0);
    expect(check.events).toBe(result.statusEvents);
    expect(check.events).toBeGreaterThanOrEqual(check.with_key);
    const [later] = await rows<{ n: number }>(
      sql`select count(*)::int as n from status_events e join deployments d on d.device_id = e.device_id and d.update_id = e.update_id
          where e.occurred_at > d.state_occurred_at`,
    );
    expect(later.n).toBe(0);
  });

  it("keeps the summary tables equal to a GROUP BY over the deployments", async () => {
    const report = await verifySummaries(handle.db);
    expect(report.countDrift).toEqual([]);
    expect(report.adoptionDrift).toEqual([]);
    expect(report.signalDrift).toEqual([]);
  });

  it("continues the numbering when run again", async () => {
    await seedScale(handle.db, 150, {});
    const [counts] = await rows<{ devices: number; updates: number; deployments: number; last: string }>(
      sql`select (select count(*)::int from devices) as devices, (select count(*)::int from updates) as updates,
                 (select count(*)::int from deployments) as deployments, (select max(hostname) from devices) as last`,
    );
    expect(counts).toEqual({ devices: 2_150, updates: 10, deployments: 21_500, last: "SCALE-002150" });
    const report = await verifySummaries(handle.db);
    expect(report.countDrift).toEqual([]);
  });

  it("works on top of the demo scenario", async () => {
    const demo = await createTestDb(kind);
    try {
      await seedDemo(demo.db);
      const [before] = await queryRows<{ devices: number; deployments: number; sites: number }>(
        demo.db,
        sql`select (select count(*)::int from devices) as devices, (select count(*)::int from deployments) as deployments, (select count(*)::int from sites) as sites`,
      );
      await seedScale(demo.db, 300, { batchSize: 200 });
      const [after] = await queryRows<{ devices: number; deployments: number; sites: number; on_demo_sites: number }>(
        demo.db,
        sql`select (select count(*)::int from devices) as devices, (select count(*)::int from deployments) as deployments,
                   (select count(*)::int from sites) as sites,
                   (select count(distinct site_id)::int from devices where hostname like 'SCALE-%') as on_demo_sites`,
      );
      expect(after.devices).toBe(before.devices + 300);
      expect(after.deployments).toBe(before.deployments + 3_000);
      expect(after.sites).toBe(before.sites);
      expect(after.on_demo_sites).toBeGreaterThan(1);
      const report = await verifySummaries(demo.db);
      expect(report.countDrift).toEqual([]);
      expect(report.adoptionDrift).toEqual([]);
      expect(report.signalDrift).toEqual([]);
    } finally {
      await demo.close();
    }
  });

  it("refuses a device count that is not a positive whole number", async () => {
    await expect(seedScale(handle.db, 0, {})).rejects.toThrow(RangeError);
    await expect(seedScale(handle.db, 2.5, {})).rejects.toThrow(RangeError);
  });
});
