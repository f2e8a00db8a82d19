// Failure behaviour of ingest: a PostgreSQL backend killed in the middle of a batch (a second
// connection blocks the batch half-way with a lock on deployment_counts, written after events and
// deployments), and a graceful shutdown with a batch in flight.
import pg from "pg";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/errors";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { HttpError, problemFromError } from "@/lib/http/problem";
import { setGateEvaluator } from "./gates-hook";
import { batchesInFlight, drainIngest, ingestStatusEvents } from "./ingest";
import { verifySummaries } from "./summaries";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";

// Each test reports newer events than the one before, so every batch changes states (and counts).
let hour = 0;
const batch = (prefix: string, n = 5, state = "installed") => {
  hour++;
  return Array.from({ length: n }, (_, i) => ({
    device: `WS-${String(i).padStart(4, "0")}`,
    update: "windows-xp-sp2",
    state: hour % 2 ? state : "failed",
    occurredAt: new Date(Date.parse("2004-08-25T10:00:00Z") + hour * 3_600_000 + i * 60_000).toISOString(),
    eventId: `${prefix}-${i}`,
  }));
};

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(testDbKinds.filter((k) => k === "postgres"))("ingest failures on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;
  let blocker: pg.Client;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    fx = await createIngestFixture(handle.db, { devices: 6, updates: 1, planned: 6 });
    blocker = new pg.Client({ connectionString: handle.pool!.options.connectionString, application_name: "rollcall-blocker" });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker?.end();
    await handle?.close();
  });

  /** The pid of the ingest backend once it waits on the blocker's lock. */
  const blockedBackend = () =>
    waitFor(async () => {
      const { rows } = await blocker.query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = current_database() and application_name = 'rollcall-test' and wait_event_type = 'Lock'`,
      );
      return rows[0]?.pid;
    }, "the batch to block on the lock");

  it("a backend killed with pg_terminate_backend mid-batch: classified unavailable (503 + Retry-After), nothing stored, the retry counts once", async () => {
    await blocker.query("begin");
    await blocker.query("lock table deployment_counts in access exclusive mode");
    const events = batch("kill");
    const first = ingestStatusEvents(fx.ingestToken, events, { db: handle.db, idempotencyKey: "kill-batch" }).catch((e: unknown) => e);
    const pid = await blockedBackend();
    await blocker.query("select pg_terminate_backend($1)", [pid]);
    await blocker.query("rollback");

    const error = await first;
    expect(isDatabaseUnavailable(error)).toBe(true);
    const response = problemFromError(error);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeTruthy();
    const [stored] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events where event_id like 'kill-%'`);
    expect(stored.n).toBe(0);

    // The pool replaced the dead connection; the same request (same Idempotency-Key) now succeeds once.
    expect(await ingestStatusEvents(fx.ingestToken, events, { db: handle.db, idempotencyKey: "kill-batch" })).toMatchObject({ accepted: 5, duplicates: 0, replayed: false });
    expect(await ingestStatusEvents(fx.ingestToken, events, { db: handle.db, idempotencyKey: "kill-batch" })).toMatchObject({ accepted: 5, replayed: true });
    expect(await ingestStatusEvents(fx.ingestToken, events, { db: handle.db })).toMatchObject({ accepted: 0, duplicates: 5 });
    const [after] = await queryRows<{ n: number; installed: number }>(
      handle.db,
      sql`select (select count(*)::int from status_events where event_id like 'kill-%') as n,
                 (select count(*)::int from deployments where state = 'installed') as installed`,
    );
    expect(after).toEqual({ n: 5, installed: 5 });
    const report = await verifySummaries(handle.db);
    expect(report.countDrift).toEqual([]);
    expect(report.adoptionDrift).toEqual([]);
    expect(report.signalDrift).toEqual([]);
  });

  it("a second instance sending the same Idempotency-Key while the first runs gets 409", async () => {
    await blocker.query("begin");
    await blocker.query("lock table deployment_counts in access exclusive mode");
    const first = ingestStatusEvents(fx.ingestToken, batch("dup", 2), { db: handle.db, idempotencyKey: "slow-batch" });
    await blockedBackend();
    // Another process has its own in-process set: simulate it by a second pool on the same database.
    const { openPostgres } = await import("@/db/client");
    const other = openPostgres(handle.pool!.options.connectionString!, { max: 1, applicationName: "rollcall-test-other" });
    try {
      const { lockIdempotencyKey } = await import("./ingest-idempotency");
      const { sourceOf } = await import("./ingest");
      const status = await other.db
        .transaction((tx) => lockIdempotencyKey(tx, sourceOf(fx.ingestToken), "slow-batch"))
        .then(() => 200, (e: unknown) => (e instanceof HttpError ? e.status : 500));
      expect(status).toBe(409);
    } finally {
      await other.close();
      await blocker.query("rollback");
    }
    expect(await first).toMatchObject({ accepted: 2 });
  });

});

describe.each(testDbKinds)("graceful shutdown of ingest on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    fx = await createIngestFixture(handle.db, { devices: 4, updates: 1, planned: 4 });
  });
  afterAll(async () => {
    setGateEvaluator(undefined);
    // The drain is one-way in a real process; let the next database kind of this file ingest again.
    (globalThis as { __rollcallIngest?: { stopping: boolean } }).__rollcallIngest!.stopping = false;
    await handle?.close();
  });

  it("on SIGTERM the batch in flight commits before the drain resolves, and new batches get 503", async () => {
    // Hold the batch inside its transaction (at the gate hook) until the test lets it go.
    let entered!: () => void;
    let letGo!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (letGo = r));
    setGateEvaluator(async () => {
      entered();
      await gate;
    });
    const running = ingestStatusEvents(fx.ingestToken, batch("drain", 3), { db: handle.db });
    await inside;
    expect(batchesInFlight()).toBe(1);
    let drained = false;
    const drain = drainIngest().then(() => (drained = true));
    const refused = await ingestStatusEvents(fx.ingestToken, batch("late", 1), { db: handle.db }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(503);
    expect((refused as HttpError).headers["retry-after"]).toBe("5");
    await new Promise((r) => setTimeout(r, 100));
    expect(drained).toBe(false);
    letGo();
    await drain;
    expect(await running).toMatchObject({ accepted: 3 });
    expect(batchesInFlight()).toBe(0);
    const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events where event_id like 'drain-%'`);
    expect(row.n).toBe(3);
  });
});
