import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { txRows } from "@/db/tx";
import type { Actor } from "@/lib/auth/actor";
import { HttpError } from "@/lib/http/problem";
import { setGateEvaluator } from "./gates-hook";
import { ingestStatusEvents, sourceOf } from "./ingest";
import { verifySummaries } from "./summaries";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";

const T0 = Date.parse("2004-08-25T09:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe.each(testDbKinds)("status ingest on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;
  const ingest = (events: unknown[], options: { idempotencyKey?: string; source?: string } = {}, actor: Actor = fx.ingestToken) =>
    ingestStatusEvents(actor, events, { db: handle.db, ...options });

  beforeAll(async () => {
    handle = await createTestDb(kind);
    fx = await createIngestFixture(handle.db, { devices: 12, updates: 3, planned: 6 });
  });
  afterAll(() => handle?.close());
  afterEach(() => setGateEvaluator(undefined));

  async function deployment(deviceIndex: number, updateIndex = 0) {
    const rows = await queryRows<{ state: string; rollout_id: number | null; wave_id: number | null; attempts: number; error_code: string | null; alert: string | null; message: string | null }>(
      handle.db,
      sql`select state::text, rollout_id, wave_id, attempts, error_code, alert::text, message from deployments
          where device_id = ${fx.devices[deviceIndex].id} and update_id = ${fx.updates[updateIndex].id}`,
    );
    return rows[0];
  }

  async function expectNoDrift() {
    const report = await verifySummaries(handle.db);
    expect(report.countDrift).toEqual([]);
    expect(report.adoptionDrift).toEqual([]);
    expect(report.signalDrift).toEqual([]);
  }

  it("applies a valid batch, keeps the summaries exact and answers with the four buckets", async () => {
    const answer = await ingest([
      { device: "ws-0000", update: "windows-xp-sp2", state: "downloading", occurredAt: at(1), eventId: "a-1" },
      { device: "WS-0000", update: "windows-xp-sp2", state: "installed", occurredAt: at(5), eventId: "a-2" },
      { device: "WS-0001", update: "windows-xp-sp2", state: "failed", occurredAt: at(2), eventId: "a-3", errorCode: "0x80070070", alert: "disk_full", message: "not enough space" },
    ]);
    expect(answer).toEqual({ accepted: 3, duplicates: 0, stale: 0, rejected: [], replayed: false });
    expect(await deployment(0)).toMatchObject({ state: "installed", rollout_id: fx.rolloutId, wave_id: fx.waveId, attempts: 1 });
    expect(await deployment(1)).toMatchObject({ state: "failed", error_code: "0x80070070", alert: "disk_full", message: "not enough space", attempts: 1 });
    const [history] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events where source = ${sourceOf(fx.ingestToken)}`);
    expect(history.n).toBe(3);
    const [adoption] = await queryRows<{ installed: number }>(handle.db, sql`select installed from adoption_daily where update_id = ${fx.updates[0].id} and day = '2004-08-25'`);
    expect(adoption.installed).toBe(1);
    const audit = await queryRows<{ actor_label: string; after: unknown }>(
      handle.db,
      sql`select actor_label, after from audit_entries where action = 'status_events.ingest' order by id desc limit 1`,
    );
    expect(audit).toEqual([{ actor_label: "token:sccm", after: { source: sourceOf(fx.ingestToken), accepted: 3, duplicates: 0, stale: 0, rejected: 0 } }]);
    await expectNoDrift();
  });

  it("rejects bad rows with their index and reason while storing the good ones", async () => {
    const answer = await ingest([
      { device: "WS-0002", update: "windows-xp-sp2", state: "installing", occurredAt: at(3), eventId: "b-1" },
      { device: "no-such-host", update: "windows-xp-sp2", state: "installed", occurredAt: at(3) },
      { device: "WS-0002", update: "no-such-update", state: "installed", occurredAt: at(3) },
      { device: "WS-0002", update: "windows-xp-sp2", state: "exploded", occurredAt: at(3) },
      { device: "WS-0002", update: "windows-xp-sp2", state: "installed", occurredAt: "yesterday" },
      "not an object",
      { device: "WS-0002", update: "windows-xp-sp2", state: "installed", occurredAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
    ]);
    expect(answer.accepted).toBe(1);
    expect(answer.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(answer.rejected[0].errors).toEqual([{ path: "device", message: 'unknown device "no-such-host"' }]);
    expect(answer.rejected[1].errors[0].path).toBe("update");
    expect(answer.rejected[2].errors[0]).toMatchObject({ path: "state" });
    expect(answer.rejected[3].errors[0]).toMatchObject({ path: "occurredAt" });
    expect(answer.rejected[5].errors[0].message).toMatch(/future/);
    expect(await deployment(2)).toMatchObject({ state: "installing" });
  });

  it("counts a repeated eventId as a duplicate, within the batch and across batches, and changes nothing", async () => {
    const event = { device: "WS-0003", update: "windows-xp-sp2", state: "installed", occurredAt: at(10), eventId: "c-1" };
    expect(await ingest([event, { ...event, state: "failed" }])).toMatchObject({ accepted: 1, duplicates: 1, stale: 0 });
    expect(await ingest([{ ...event, state: "failed", occurredAt: at(20) }])).toMatchObject({ accepted: 0, duplicates: 1, stale: 0 });
    expect(await deployment(3)).toMatchObject({ state: "installed", attempts: 1 });
    // Another source may reuse the id: ids are unique per source.
    expect(await ingest([{ ...event, occurredAt: at(9) }], {}, fx.editor)).toMatchObject({ accepted: 0, stale: 1 });
    await expectNoDrift();
  });

  it("keeps the newest state: an older event is stored as stale, ties go to the larger event id", async () => {
    await ingest([{ device: "WS-0004", update: "windows-xp-sp2", state: "installed", occurredAt: at(30), eventId: "d-5" }]);
    expect(await ingest([{ device: "WS-0004", update: "windows-xp-sp2", state: "failed", occurredAt: at(29), eventId: "d-9" }])).toMatchObject({ accepted: 0, stale: 1 });
    expect(await ingest([{ device: "WS-0004", update: "windows-xp-sp2", state: "rolled_back", occurredAt: at(30), eventId: "d-4" }])).toMatchObject({ stale: 1 });
    expect(await deployment(4)).toMatchObject({ state: "installed", attempts: 3 });
    expect(await ingest([{ device: "WS-0004", update: "windows-xp-sp2", state: "rolled_back", occurredAt: at(30), eventId: "d-6" }])).toMatchObject({ accepted: 1 });
    expect(await deployment(4)).toMatchObject({ state: "rolled_back" });
    // Within one batch events are judged in request order, as if sent one by one.
    expect(
      await ingest([
        { device: "WS-0005", update: "windows-xp-sp2", state: "installed", occurredAt: at(40), eventId: "e-2" },
        { device: "WS-0005", update: "windows-xp-sp2", state: "installing", occurredAt: at(35), eventId: "e-1" },
        { device: "WS-0005", update: "windows-xp-sp2", state: "reboot_required", occurredAt: at(41), eventId: "e-3" },
      ]),
    ).toMatchObject({ accepted: 2, stale: 1 });
    expect(await deployment(5)).toMatchObject({ state: "reboot_required" });
    await expectNoDrift();
  });

  it("creates the deployment (no rollout, no wave) for a device the update was not planned for, and records the report time", async () => {
    expect(await deployment(10, 1)).toBeUndefined();
    await ingest([{ device: "ws-0010", update: "update-1", state: "installed", occurredAt: at(50), eventId: "f-1" }]);
    expect(await deployment(10, 1)).toMatchObject({ state: "installed", rollout_id: null, wave_id: null, attempts: 1 });
    const [device] = await queryRows<{ last: string }>(handle.db, sql`select last_reported_at::text as last from devices where id = ${fx.devices[10].id}`);
    expect(new Date(device.last).toISOString()).toBe(at(50));
    const [counts] = await queryRows<{ n: number }>(
      handle.db,
      sql`select count::int as n from deployment_counts where update_id = ${fx.updates[1].id} and rollout_id = 0 and wave_id = 0 and state = 'installed'`,
    );
    expect(counts.n).toBe(1);
    await expectNoDrift();
  });

  it("evaluates the gates of the waves whose deployments changed state, in the batch's transaction", async () => {
    const calls: number[][] = [];
    setGateEvaluator(async (tx, waveIds) => {
      const [row] = await txRows<{ n: number }>(tx, sql`select count(*)::int as n from deployments where wave_id = ${waveIds[0]} and state = 'failed'`);
      calls.push([...waveIds, row.n]);
    });
    await ingest([{ device: "WS-0000", update: "windows-xp-sp2", state: "failed", occurredAt: at(100), eventId: "g-1" }]);
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toBe(fx.waveId);
    expect(calls[0][1]).toBeGreaterThanOrEqual(1);
    // A device outside any wave triggers no gate.
    await ingest([{ device: "WS-0011", update: "update-2", state: "failed", occurredAt: at(100), eventId: "g-2" }]);
    expect(calls).toHaveLength(1);
  });

  it("halts a wave whose health gate the batch breaches (the rollouts area's evaluateGates, same transaction)", async () => {
    await handle.db.execute(sql`update waves set gate_min_attempted = 2, gate_max_failure_pct = 10 where id = ${fx.waveId}`);
    try {
      await ingest([
        { device: "WS-0002", update: "windows-xp-sp2", state: "rolled_back", occurredAt: at(150), eventId: "gate-1", alert: "rollback_initiated" },
        { device: "WS-0003", update: "windows-xp-sp2", state: "failed", occurredAt: at(150), eventId: "gate-2", errorCode: "0x8007000E" },
      ]);
      const [wave] = await queryRows<{ status: string; halt_reason: string | null }>(handle.db, sql`select status::text, halt_reason from waves where id = ${fx.waveId}`);
      expect(wave.status).toBe("halted");
      expect(wave.halt_reason).toBeTruthy();
    } finally {
      await handle.db.execute(sql`update waves set status = 'active', halted_at = null, halt_reason = null, gate_min_attempted = 10, gate_max_failure_pct = 5 where id = ${fx.waveId}`);
    }
  });

  it("rolls the whole batch back when the gate evaluation fails", async () => {
    setGateEvaluator(async () => {
      throw new Error("gate evaluation failed");
    });
    await expect(ingest([{ device: "WS-0001", update: "windows-xp-sp2", state: "installed", occurredAt: at(200), eventId: "h-1" }])).rejects.toThrow("gate evaluation failed");
    const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events where event_id = 'h-1'`);
    expect(row.n).toBe(0);
    expect(await deployment(1)).toMatchObject({ state: "failed" });
  });

  it("asks who is calling: 401 without an actor, 403 for a viewer or a read token, 413 beyond 10,000 events", async () => {
    const one = [{ device: "WS-0000", update: "windows-xp-sp2", state: "installed", occurredAt: at(1) }];
    const status = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof HttpError ? e.status : 500));
    expect(await status(ingestStatusEvents(null as never, one, { db: handle.db }))).toBe(401);
    expect(await status(ingest(one, {}, fx.viewer))).toBe(403);
    expect(await status(ingest(one, {}, fx.readToken))).toBe(403);
    expect(await status(ingest(new Array(10_001).fill(one[0])))).toBe(413);
  });

  it("honours Idempotency-Key: same body → the stored answer, another body → 422", async () => {
    const batch = [
      { device: "WS-0006", update: "windows-xp-sp2", state: "installed", occurredAt: at(60) },
      { device: "WS-0006", update: "windows-xp-sp2", state: "downloading", occurredAt: at(55) },
    ];
    const first = await ingest(batch, { idempotencyKey: "k-1" });
    expect(first).toEqual({ accepted: 1, duplicates: 0, stale: 1, rejected: [], replayed: false });
    const again = await ingest(batch, { idempotencyKey: "k-1" });
    expect(again).toEqual({ ...first, replayed: true });
    // Without event ids only the key protects against a double count: history has two rows, not four.
    const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events where device_id = ${fx.devices[6].id}`);
    expect(row.n).toBe(2);
    await expect(ingest([batch[0]], { idempotencyKey: "k-1" })).rejects.toMatchObject({ status: 422 });
    // Keys belong to their caller: the editor's k-1 is a different key.
    expect(await ingest([batch[0]], { idempotencyKey: "k-1" }, fx.editor)).toMatchObject({ replayed: false });
    // Expired after 24 hours: the key works again as new.
    await handle.db.execute(sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'k-1'`);
    expect(await ingest([batch[0]], { idempotencyKey: "k-1" })).toMatchObject({ replayed: false, stale: 1 });
    await expectNoDrift();
  });

  it("answers 409 while a request with the same key is still running", async () => {
    const batch = [{ device: "WS-0007", update: "windows-xp-sp2", state: "installed", occurredAt: at(70), eventId: "k2-1" }];
    const results = await Promise.allSettled([ingest(batch, { idempotencyKey: "k-2" }), ingest(batch, { idempotencyKey: "k-2" })]);
    const statuses = results.map((r) => (r.status === "fulfilled" ? 200 : (r.reason as HttpError).status)).sort();
    expect(statuses).toEqual([200, 409]);
    expect(await ingest(batch, { idempotencyKey: "k-2" })).toMatchObject({ accepted: 1, replayed: true });
  });

  it("finds drift in the summary tables and repairs it", async () => {
    await handle.db.execute(sql`
      update deployment_counts set count = count + 5
      where (update_id, rollout_id, wave_id, site_id, os_name, state) in (
        select update_id, rollout_id, wave_id, site_id, os_name, state from deployment_counts
        where rollout_id = ${fx.rolloutId} and count > 0 order by state limit 1)`);
    await handle.db.execute(sql`insert into adoption_daily (update_id, day, installed) values (${fx.updates[2].id}, '2004-01-01', 3)`);
    const report = await verifySummaries(handle.db);
    expect(report.countDrift).toHaveLength(1);
    expect(report.countDrift[0]).toMatchObject({ rolloutId: fx.rolloutId, stored: report.countDrift[0].expected + 5 });
    expect(report.adoptionDrift).toEqual([{ updateId: fx.updates[2].id, day: "2004-01-01", buildId: 0, expected: 0, stored: 3 }]);
    expect(report.repaired).toBe(false);
    expect((await verifySummaries(handle.db, { repair: true })).repaired).toBe(true);
    await expectNoDrift();
  });
});
