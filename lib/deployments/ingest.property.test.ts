// Property: whatever the batches (duplicates, reordering, retries, bad rows) and however they
// interleave — one after another on PGlite, concurrently through two separate connection pools
// (two app instances) on PostgreSQL — deployments and the summary tables end equal to an
// in-memory oracle that applies the product's rules one event at a time. Events name a build (by
// name or version, any case; some unknown, some another update's) or none (the wave's target).
import fc from "fast-check";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, queryRows, type Db, type DbHandle } from "@/db/client";
import * as s from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { Actor } from "@/lib/auth/actor";
import { ingestStatusEvents, sourceOf } from "./ingest";
import { IngestOracle } from "@/test/reliability/oracle";
import { unknownBuildMessage, type BuildRef, type IngestResult } from "./ingest-model";
import type { DeploymentState } from "./states";
import { recomputeSummaries, verifySummaries } from "./summaries";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";

const T0 = Date.parse("2004-08-20T08:00:00Z");
const STATES: DeploymentState[] = ["downloading", "installing", "reboot_required", "installed", "failed", "rolled_back", "deferred", "not_applicable"];
const DEVICES = 6;
const UPDATES = 2;
const PLANNED = 3;
/** What events may name: update 0's builds (by name or version), update 1's build, and one no update has. */
const BUILD_NAMES = ["RC1", "rc2", "5.1.2600.2180", "FINAL", "1.0", "Beta 9"];

type Event = {
  source: 0 | 1;
  device: number; // DEVICES = an unknown hostname
  update: number;
  state: DeploymentState;
  minute: number; // a small range, so ties on occurredAt happen
  eventId: string;
  errorCode: string | null;
  build: string | null;
};
type Batch = { source: 0 | 1; events: Event[] };

// Distinct events (unique per source and id); batches pick from them with repeats, in any order,
// and some batches are sent again whole (a client retrying after a lost answer).
const scenario = fc
  .uniqueArray(
    fc.record({
      source: fc.constantFrom<0 | 1>(0, 1),
      device: fc.integer({ min: 0, max: DEVICES }),
      update: fc.integer({ min: 0, max: UPDATES - 1 }),
      state: fc.constantFrom(...STATES),
      minute: fc.integer({ min: 0, max: 2 * 24 * 60 }).map((m) => (m % 3 === 0 ? m % 4 : m)),
      eventId: fc.integer({ min: 0, max: 60 }).map((n) => `ev-${n}`),
      errorCode: fc.option(fc.constantFrom("0x80070070", "0x800F0922"), { nil: null }),
      build: fc.option(fc.constantFrom(...BUILD_NAMES), { nil: null, freq: 2 }),
    }),
    { minLength: 1, maxLength: 40, selector: (e) => `${e.source}:${e.eventId}` },
  )
  .chain((events) =>
    fc
      .array(
        fc.record({ source: fc.constantFrom<0 | 1>(0, 1), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), retryOf: fc.option(fc.nat(), { freq: 4 }) }),
        { minLength: 1, maxLength: 12 },
      )
      .map((specs) => {
        const batches: Batch[] = [];
        for (const spec of specs) {
          if (spec.retryOf !== null && batches.length) {
            batches.push(batches[spec.retryOf % batches.length]);
            continue;
          }
          const own = events.filter((e) => e.source === spec.source);
          if (!own.length) continue;
          batches.push({ source: spec.source, events: spec.picks.map((p) => own[p % own.length]) });
        }
        return batches;
      }),
  );

/** The shared ingest oracle (test/reliability/oracle.ts), fed this scenario's fixture indices. */
class Oracle {
  readonly model: IngestOracle;
  constructor(
    private fx: IngestFixture,
    private sources: string[],
    private builds: BuildRef[][],
    waveBuildId: number,
  ) {
    this.model = new IngestOracle(
      Array.from({ length: PLANNED }, (_, d) => [
        fx.devices[d].id,
        fx.updates[0].id,
        { state: "pending" as const, version: null, attempts: 0, errorCode: null, rolloutId: fx.rolloutId, waveId: fx.waveId, buildId: null },
      ]),
      ({ waveId }) => (waveId === fx.waveId ? waveBuildId : null),
    );
  }

  get stored() {
    return this.model.stored;
  }

  apply(batch: Batch): IngestResult {
    const result: IngestResult = { accepted: 0, duplicates: 0, stale: 0, rejected: [] };
    batch.events.forEach((e, index) => {
      if (e.device === DEVICES) {
        result.rejected.push({ index, errors: [{ path: "device", message: `unknown device "ghost-pc"` }] });
        return;
      }
      let buildId: number | undefined;
      if (e.build !== null) {
        const wanted = e.build.toLowerCase();
        const builds = this.builds[e.update];
        const build = builds.find((b) => b.name.toLowerCase() === wanted || b.version.toLowerCase() === wanted);
        if (!build) {
          result.rejected.push({ index, errors: [{ path: "build", message: unknownBuildMessage(e.build, slugOf(e.update), builds) }] });
          return;
        }
        buildId = build.id;
      }
      const outcome = this.model.apply(this.sources[batch.source], {
        deviceId: this.fx.devices[e.device].id,
        updateId: this.fx.updates[e.update].id,
        state: e.state,
        occurredAtMs: T0 + e.minute * 60_000,
        eventId: e.eventId,
        errorCode: e.errorCode,
        ...(buildId !== undefined ? { buildId } : {}),
      });
      if (outcome === "duplicate") result.duplicates++;
      else if (outcome === "accepted") result.accepted++;
      else result.stale++;
    });
    return result;
  }

  rows() {
    return this.model.rows();
  }

  counts() {
    return this.model.counts((id) => ({ ...this.fx.devices.find((d) => d.id === id)!, departmentId: 0 }));
  }

  adoption() {
    return this.model.adoption();
  }
}

const slugOf = (update: number) => (update === 0 ? "windows-xp-sp2" : `update-${update}`);

function wire(batch: Batch) {
  return batch.events.map((e) => ({
    device: e.device === DEVICES ? "ghost-pc" : `ws-${String(e.device).padStart(4, "0")}`,
    update: slugOf(e.update),
    state: e.state,
    occurredAt: new Date(T0 + e.minute * 60_000).toISOString(),
    eventId: e.eventId,
    errorCode: e.errorCode,
    ...(e.build !== null ? { build: e.build } : {}),
  }));
}

/** Builds beside the fixture's RTM: RC1 and RC2 of update 0 (the wave targets RC2), 1.0 of update 1. */
async function addBuilds(db: Db, fx: IngestFixture): Promise<{ builds: BuildRef[][]; waveBuildId: number }> {
  await db.insert(s.builds).values([
    { updateId: fx.updates[0].id, name: "RC1", version: "5.1.2600.2082", kind: "rc" },
    { updateId: fx.updates[0].id, name: "RC2", version: "5.1.2600.2149", kind: "rc" },
    { updateId: fx.updates[1].id, name: "1.0", version: "1.0.0", kind: "final" },
  ]);
  const rows = await queryRows<BuildRef & { update_id: number }>(db, sql`select id, name, version, update_id from builds order by id`);
  const builds = fx.updates.map((u) => rows.filter((b) => b.update_id === u.id).map(({ id, name, version }) => ({ id, name, version })));
  const waveBuildId = builds[0].find((b) => b.name === "RC2")!.id;
  await db.update(s.waves).set({ buildId: waveBuildId }).where(eq(s.waves.id, fx.waveId));
  return { builds, waveBuildId };
}

async function resetToFixture(db: Db, fx: IngestFixture): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from status_events`);
    await tx.execute(sql`delete from deployments`);
    await tx.execute(sql`delete from idempotency_keys`);
    await tx.insert(s.deployments).values(
      fx.devices.slice(0, PLANNED).map((d) => ({ deviceId: d.id, updateId: fx.updates[0].id, rolloutId: fx.rolloutId, waveId: fx.waveId, state: "pending" as const })),
    );
    await recomputeSummaries(tx);
  });
}

async function expectEqualToOracle(db: Db, oracle: Oracle): Promise<void> {
  const deployments = await queryRows(
    db,
    sql`select device_id, update_id, state::text as state, rollout_id, wave_id, build_id, attempts, error_code,
               (extract(epoch from state_occurred_at) * 1000)::float8 as occurred_ms, state_event_key
        from deployments order by device_id, update_id`,
  );
  expect(deployments).toEqual(oracle.rows());
  const counts = await queryRows<{ id: string; n: number }>(
    db,
    sql`select concat_ws('|', update_id, rollout_id, wave_id, site_id, os_name, department_id, state, build_id) as id, count::int as n
        from deployment_counts where count <> 0 order by 1`,
  );
  expect(Object.fromEntries(counts.map((c) => [c.id, c.n]))).toEqual(oracle.counts());
  const adoption = await queryRows<{ id: string; n: number }>(
    db,
    sql`select concat_ws('|', update_id, day::text, build_id) as id, installed::int as n from adoption_daily where installed <> 0 order by 1`,
  );
  expect(Object.fromEntries(adoption.map((a) => [a.id, a.n]))).toEqual(oracle.adoption());
  const [history] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from status_events`);
  expect(history.n).toBe(oracle.stored.size);
  // Every deployment's build is the build of the history event that set its state.
  const [unexplained] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from deployments d
        where d.state_event_key is not null and not exists (
          select 1 from status_events e
          where e.device_id = d.device_id and e.update_id = d.update_id and e.event_id || chr(31) || e.source = d.state_event_key
            and e.build_id is not distinct from d.build_id)`,
  );
  expect(unexplained.n).toBe(0);
  const report = await verifySummaries(db);
  expect(report.countDrift).toEqual([]);
  expect(report.adoptionDrift).toEqual([]);
  expect(report.signalDrift).toEqual([]);
}

describe.each(testDbKinds)("ingest equals the oracle on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;
  let actors: Actor[];
  let known: { builds: BuildRef[][]; waveBuildId: number };

  beforeAll(async () => {
    handle = await createTestDb(kind);
    fx = await createIngestFixture(handle.db, { devices: DEVICES, updates: UPDATES, planned: PLANNED });
    known = await addBuilds(handle.db, fx);
    actors = [fx.ingestToken, fx.editor];
  });
  afterAll(() => handle?.close());

  it("applied one batch after another: every answer and the final state match", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (batches) => {
        await resetToFixture(handle.db, fx);
        const oracle = new Oracle(fx, actors.map(sourceOf), known.builds, known.waveBuildId);
        for (const batch of batches) {
          const expected = oracle.apply(batch);
          const { replayed, ...answer } = await ingestStatusEvents(actors[batch.source], wire(batch), { db: handle.db });
          expect(replayed).toBe(false);
          expect(answer).toEqual(expected);
        }
        await expectEqualToOracle(handle.db, oracle);
      }),
      { numRuns: kind === "pglite" ? 40 : 25 },
    );
  });

});

// Two app instances on one PostgreSQL (PGlite is one process by design, so it has no equivalent).
describe.each(testDbKinds.filter((k) => k === "postgres"))("ingest through two connection pools on %s", (kind) => {
  let handle: DbHandle;
  let second: DbHandle;
  let fx: IngestFixture;
  let actors: Actor[];
  let known: { builds: BuildRef[][]; waveBuildId: number };

  beforeAll(async () => {
    handle = await createTestDb(kind);
    fx = await createIngestFixture(handle.db, { devices: DEVICES, updates: UPDATES, planned: PLANNED });
    known = await addBuilds(handle.db, fx);
    actors = [fx.ingestToken, fx.editor];
    second = openPostgres(handle.pool!.options.connectionString!, { max: 3, applicationName: "rollcall-test-2" });
  });
  afterAll(async () => {
    await second?.close();
    await handle?.close();
  });

  it("applied concurrently through two connection pools: the final state matches", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), async (batches, lanes) => {
        await resetToFixture(handle.db, fx);
        const oracle = new Oracle(fx, actors.map(sourceOf), known.builds, known.waveBuildId);
        const expected = batches.map((b) => oracle.apply(b));
        const pools = [handle.db, second.db];
        const answers: IngestResult[] = new Array(batches.length);
        await Promise.all(
          [0, 1].map(async (lane) => {
            for (let i = 0; i < batches.length; i++) {
              if (Number(lanes[i]) !== lane) continue;
              const { replayed: _, ...answer } = await ingestStatusEvents(actors[batches[i].source], wire(batches[i]), { db: pools[lane] });
              answers[i] = answer;
            }
          }),
        );
        // Which copy of a duplicate counts, and which event was stale, depends on the interleaving;
        // the totals and every rejection do not.
        const total = (rs: IngestResult[], f: (r: IngestResult) => number) => rs.reduce((n, r) => n + f(r), 0);
        expect(total(answers, (r) => r.accepted + r.stale)).toBe(oracle.stored.size);
        expect(total(answers, (r) => r.duplicates)).toBe(total(expected, (r) => r.duplicates));
        expect(answers.map((r) => r.rejected)).toEqual(expected.map((r) => r.rejected));
        await expectEqualToOracle(handle.db, oracle);
      }),
      { numRuns: 25 },
    );
  });
});
