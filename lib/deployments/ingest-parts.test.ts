// A batch committed in parts (the embedded database's default, issue #20 item 1) must be the same
// batch as one transaction: the same answer, the same deployments, history and summaries, whatever
// the part size; a batch interrupted after a part and retried with its Idempotency-Key resumes where
// it stopped and counts every event once; 409 and 422 hold between parts. Runs on PGlite and, with
// TEST_DATABASE_URL, on PostgreSQL (parts forced by the partSize option there).
import fc from "fast-check";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Db, type DbHandle } from "@/db/client";
import * as s from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { Actor } from "@/lib/auth/actor";
import { HttpError } from "@/lib/http/problem";
import { EMBEDDED_PART_SIZE, ingestStatusEvents, type IngestOptions } from "./ingest";
import type { DeploymentState } from "./states";
import { recomputeSummaries, verifySummaries } from "./summaries";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";

const T0 = Date.parse("2004-08-20T08:00:00Z");
const NOW = new Date("2004-09-01T00:00:00Z");
const DEVICES = 6;
const UPDATES = 2;
const PLANNED = 3;
const STATES = ["downloading", "installing", "reboot_required", "installed", "failed", "rolled_back", "deferred", "not_applicable"] as const;

type Event = {
  device: number; // DEVICES = a hostname the inventory does not know
  update: number;
  state: DeploymentState | "exploded"; // "exploded" fails validation
  minute: number; // a small range, so ties on occurredAt happen
  eventId: string | null; // a small pool, so ids repeat within a batch (and across its parts)
  errorCode: string | null;
  build: string | null; // "Beta 9" is no build of either update
};
type Batch = { source: 0 | 1; events: Event[] };

const event = fc.record({
  device: fc.integer({ min: 0, max: DEVICES }),
  update: fc.integer({ min: 0, max: UPDATES - 1 }),
  state: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...STATES) }, { weight: 1, arbitrary: fc.constant("exploded" as const) }),
  minute: fc.integer({ min: 0, max: 40 }),
  eventId: fc.option(fc.integer({ min: 0, max: 25 }).map((n) => `ev-${n}`), { nil: null, freq: 3 }),
  errorCode: fc.option(fc.constantFrom("0x80070070", "0x800F0922"), { nil: null }),
  build: fc.option(fc.constantFrom("RC1", "rc2", "5.1.2600.2180", "1.0", "Beta 9"), { nil: null, freq: 2 }),
});
const scenario = fc.array(fc.record({ source: fc.constantFrom<0 | 1>(0, 1), events: fc.array(event, { minLength: 0, maxLength: 30 }) }), { minLength: 1, maxLength: 5 });

const slugOf = (update: number) => (update === 0 ? "windows-xp-sp2" : `update-${update}`);

function wire(events: Event[]) {
  return events.map((e) => ({
    device: e.device === DEVICES ? "ghost-pc" : `ws-${String(e.device).padStart(4, "0")}`,
    update: slugOf(e.update),
    state: e.state,
    occurredAt: new Date(T0 + e.minute * 60_000).toISOString(),
    ...(e.eventId !== null ? { eventId: e.eventId } : {}),
    errorCode: e.errorCode,
    ...(e.build !== null ? { build: e.build } : {}),
  }));
}

/** RC1 and RC2 of update 0 beside the fixture's RTM (the wave targets RC2), 1.0 of update 1. */
async function addBuilds(db: Db, fx: IngestFixture): Promise<void> {
  const [, rc2] = await db
    .insert(s.builds)
    .values([
      { updateId: fx.updates[0].id, name: "RC1", version: "5.1.2600.2082", kind: "rc" },
      { updateId: fx.updates[0].id, name: "RC2", version: "5.1.2600.2149", kind: "rc" },
      { updateId: fx.updates[1].id, name: "1.0", version: "1.0.0", kind: "final" },
    ])
    .returning({ id: s.builds.id });
  await db.update(s.waves).set({ buildId: rc2.id }).where(eq(s.waves.id, fx.waveId));
}

async function resetToFixture(db: Db, fx: IngestFixture): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from status_events`);
    await tx.execute(sql`delete from deployments`);
    await tx.execute(sql`delete from idempotency_keys`);
    await tx.execute(sql`update devices set last_reported_at = null`);
    await tx.insert(s.deployments).values(
      fx.devices.slice(0, PLANNED).map((d) => ({ deviceId: d.id, updateId: fx.updates[0].id, rolloutId: fx.rolloutId, waveId: fx.waveId, state: "pending" as const })),
    );
    await recomputeSummaries(tx);
  });
}

/**
 * Everything a batch leaves behind. An event without an eventId is keyed by its receipt time, which
 * differs from run to run: its key is compared without that suffix (which event won is still
 * compared, by its state, time, build, error and message).
 */
async function snapshot(db: Db) {
  const deployments = await queryRows<{ state_event_key: string | null }>(
    db,
    sql`select device_id, update_id, state::text as state, rollout_id, wave_id, build_id, attempts, error_code, alert::text as alert, message,
               (extract(epoch from state_occurred_at) * 1000)::float8 as occurred_ms, state_event_key,
               (extract(epoch from last_reported_at) * 1000)::float8 as reported_ms
        from deployments order by device_id, update_id`,
  );
  const history = await queryRows(
    db,
    sql`select device_id, update_id, build_id, state::text as state, (extract(epoch from occurred_at) * 1000)::float8 as occurred_ms,
               error_code, message, source, event_id
        from status_events order by device_id, update_id, occurred_at, event_id nulls first, state, build_id nulls first, error_code nulls first`,
  );
  const counts = await queryRows(
    db,
    sql`select concat_ws('|', update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id) as id, count::int as n
        from deployment_counts where count <> 0 order by 1`,
  );
  const adoption = await queryRows(
    db,
    sql`select concat_ws('|', update_id, day::text, build_id) as id, installed::int as n from adoption_daily where installed <> 0 order by 1`,
  );
  const devices = await queryRows(db, sql`select id, (extract(epoch from last_reported_at) * 1000)::float8 as reported_ms from devices order by id`);
  return {
    deployments: deployments.map((d) => ({ ...d, state_event_key: d.state_event_key?.startsWith("\u001f") ? d.state_event_key.split("\u001f").slice(0, 2).join("\u001f") : d.state_event_key })),
    history,
    counts,
    adoption,
    devices,
  };
}

async function expectNoDrift(db: Db) {
  const report = await verifySummaries(db);
  expect(report.countDrift).toEqual([]);
  expect(report.adoptionDrift).toEqual([]);
  expect(report.signalDrift).toEqual([]);
}

describe.each(testDbKinds)("ingest committed in parts on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;
  let actors: Actor[];
  const ingest = (actor: Actor, events: unknown[], options: IngestOptions = {}) => ingestStatusEvents(actor, events, { db: handle.db, now: NOW, ...options });
  const status = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof HttpError ? e.status : String(e)));

  beforeAll(async () => {
    handle = await createTestDb(kind);
    fx = await createIngestFixture(handle.db, { devices: DEVICES, updates: UPDATES, planned: PLANNED });
    await addBuilds(handle.db, fx);
    actors = [fx.ingestToken, fx.editor];
  });
  afterAll(() => handle?.close());

  it("random batches give the same answers, deployments, history and summaries in one transaction and in parts of 1 to 7", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.integer({ min: 1, max: 7 }), async (batches, partSize) => {
        const run = async (size: number) => {
          await resetToFixture(handle.db, fx);
          const answers = [];
          for (const batch of batches) answers.push(await ingest(actors[batch.source], wire(batch.events), { partSize: size }));
          await expectNoDrift(handle.db);
          return { answers, state: await snapshot(handle.db) };
        };
        const whole = await run(1_000);
        const parts = await run(partSize);
        expect(parts.answers).toEqual(whole.answers);
        expect(parts.state).toEqual(whole.state);
      }),
      { numRuns: kind === "pglite" ? 30 : 20 },
    );
  });

  // 20 events over parts of 7: ids without an Idempotency-Key's protection (no eventId), an id
  // repeated in a later part, a stale report, an unknown device and a row that fails validation.
  const mixed = (): unknown[] =>
    wire(
      Array.from({ length: 20 }, (_, i): Event => ({
        device: i === 4 ? DEVICES : i % 5,
        update: i % 7 === 6 ? 1 : 0,
        state: i === 11 ? "exploded" : STATES[i % STATES.length],
        minute: i === 13 ? 0 : 10 + (i % 9),
        eventId: i % 3 === 0 ? null : i === 16 ? "mix-2" : `mix-${i}`,
        errorCode: null,
        build: i === 8 ? "RC1" : null,
      })),
    );

  it("a batch interrupted after its first part and retried with the same key answers as the uninterrupted one, every event stored once", async () => {
    await resetToFixture(handle.db, fx);
    const uninterrupted = await ingest(fx.ingestToken, mixed(), { idempotencyKey: "whole", partSize: 1_000 });
    expect(uninterrupted.duplicates).toBeGreaterThan(0);
    expect(uninterrupted.stale).toBeGreaterThan(0);
    expect(uninterrupted.rejected.map((r) => r.index)).toEqual([4, 11]);
    const expected = await snapshot(handle.db);

    await resetToFixture(handle.db, fx);
    const cut = new Error("the process died after the first part");
    await expect(
      ingest(fx.ingestToken, mixed(), {
        idempotencyKey: "cut",
        partSize: 7,
        afterPartCommit: () => {
          throw cut;
        },
      }),
    ).rejects.toBe(cut);
    const [record] = await queryRows<{ status: string; committed_through: number; response_body: { accepted: number; stale: number; rejected: unknown[] } }>(
      handle.db,
      sql`select status, committed_through, response_body from idempotency_keys where key = 'cut'`,
    );
    expect(record).toMatchObject({ status: "partial", committed_through: 6 });
    expect(record.response_body.rejected).toEqual([{ index: 4, errors: [{ path: "device", message: 'unknown device "ghost-pc"' }] }]);
    const [stored] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events`);
    expect(stored.n).toBe(6); // indexes 0–6 but the unknown device
    expect(stored.n).toBe(record.response_body.accepted + record.response_body.stale);

    // Another body under the same key is still 422; the record is untouched.
    expect(await status(ingest(fx.ingestToken, mixed().slice(0, 19), { idempotencyKey: "cut", partSize: 7 }))).toBe(422);

    // The retry resumes after index 6 and answers for the whole request.
    const resumed = await ingest(fx.ingestToken, mixed(), { idempotencyKey: "cut", partSize: 7 });
    expect(resumed).toEqual(uninterrupted);
    expect(await snapshot(handle.db)).toEqual(expected);
    const [history] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events`);
    expect(history.n).toBe(uninterrupted.accepted + uninterrupted.stale);
    await expectNoDrift(handle.db);
    expect(await ingest(fx.ingestToken, mixed(), { idempotencyKey: "cut", partSize: 7 })).toEqual({ ...uninterrupted, replayed: true });
  });

  it("a retry resumes whatever its own part size (interrupted after two parts of 5, the rest in one)", async () => {
    await resetToFixture(handle.db, fx);
    const uninterrupted = await ingest(fx.ingestToken, mixed(), { idempotencyKey: "whole", partSize: 1_000 });
    const expected = await snapshot(handle.db);

    await resetToFixture(handle.db, fx);
    await expect(
      ingest(fx.ingestToken, mixed(), {
        idempotencyKey: "cut-twice",
        partSize: 5,
        afterPartCommit: (through) => {
          if (through >= 9) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    const [record] = await queryRows<{ committed_through: number }>(handle.db, sql`select committed_through from idempotency_keys where key = 'cut-twice'`);
    expect(record.committed_through).toBe(9);
    expect(await ingest(fx.ingestToken, mixed(), { idempotencyKey: "cut-twice", partSize: 1_000 })).toEqual(uninterrupted);
    expect(await snapshot(handle.db)).toEqual(expected);
    await expectNoDrift(handle.db);
  });

  it("answers 409 to the same key between two parts of the running request, which then answers the whole batch once", async () => {
    await resetToFixture(handle.db, fx);
    let paused!: () => void;
    let resume!: () => void;
    const between = new Promise<void>((r) => (paused = r));
    const gate = new Promise<void>((r) => (resume = r));
    const running = ingest(fx.ingestToken, mixed(), {
      idempotencyKey: "busy",
      partSize: 7,
      afterPartCommit: async (through) => {
        if (through !== 6) return;
        paused();
        await gate;
      },
    });
    await between;
    expect(await status(ingest(fx.ingestToken, mixed(), { idempotencyKey: "busy", partSize: 7 }))).toBe(409);
    resume();
    const answer = await running;
    expect(answer.replayed).toBe(false);
    expect(answer.accepted + answer.duplicates + answer.stale + answer.rejected.length).toBe(20);
    expect(await ingest(fx.ingestToken, mixed(), { idempotencyKey: "busy", partSize: 7 })).toEqual({ ...answer, replayed: true });
    const [history] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events`);
    expect(history.n).toBe(answer.accepted + answer.stale);
  });

  it(`by default commits in parts of ${EMBEDDED_PART_SIZE} on the embedded database and in one transaction on PostgreSQL`, async () => {
    await resetToFixture(handle.db, fx);
    // 600 reports on the wave's three machines, each newer than the last: every part moves the wave's counts.
    const events = Array.from({ length: 600 }, (_, i) => ({
      device: fx.devices[i % PLANNED].hostname,
      update: slugOf(0),
      state: i % 2 ? "installing" : "downloading",
      occurredAt: new Date(T0 + i * 60_000).toISOString(),
      eventId: `default-${i}`,
    }));
    const before = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from audit_entries where action = 'status_events.ingest'`);
    expect(await ingest(fx.ingestToken, events)).toMatchObject({ accepted: 600, duplicates: 0, stale: 0, rejected: [] });
    const after = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from audit_entries where action = 'status_events.ingest'`);
    // One audit entry per committed part.
    expect(after[0].n - before[0].n).toBe(kind === "pglite" ? Math.ceil(600 / EMBEDDED_PART_SIZE) : 1);
    await expectNoDrift(handle.db);
  });

  it("refuses a part size that is not a positive integer", async () => {
    for (const partSize of [0, -1, 2.5, Number.NaN]) {
      await expect(ingest(fx.ingestToken, [], { partSize })).rejects.toThrow(RangeError);
    }
  });
});
