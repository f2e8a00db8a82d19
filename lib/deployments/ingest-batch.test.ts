// The batch's SQL groups events per deployment before it knows which of them the history already
// holds (history insert and create-or-lock are one statement): a deployment with a repeated event
// among new ones must still end as its new events alone say, and one reported only by repeats
// must not be created.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { ingestStatusEvents } from "./ingest";
import { driftCount, verifySummaries } from "./summaries";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";

const T0 = Date.parse("2004-08-25T09:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe.each(testDbKinds)("an ingest batch with repeated events among new ones on %s", (kind) => {
  let handle: DbHandle;
  let fx: IngestFixture;
  const ingest = (events: unknown[]) => ingestStatusEvents(fx.ingestToken, events, { db: handle.db });

  beforeAll(async () => {
    handle = await createTestDb(kind);
    fx = await createIngestFixture(handle.db, { devices: 6, updates: 2, planned: 3 });
  });
  afterAll(() => handle?.close());

  async function deployment(deviceIndex: number, updateIndex: number) {
    const [row] = await queryRows<{ state: string; attempts: number; state_event_key: string; last_reported_at: Date }>(
      handle.db,
      sql`select state::text, attempts, state_event_key, last_reported_at from deployments
          where device_id = ${fx.devices[deviceIndex].id} and update_id = ${fx.updates[updateIndex].id}`,
    );
    return row;
  }

  it("applies only the new events of a deployment whose batch repeats an earlier, newer-looking one", async () => {
    expect(await ingest([{ device: "WS-0000", update: fx.updates[0].slug, state: "installing", occurredAt: at(1), eventId: "r-1" }])).toMatchObject({ accepted: 1 });
    // r-1 again, now claiming a newer install: a duplicate, so r-2 (failed, older than the repeat) wins.
    const answer = await ingest([
      { device: "WS-0000", update: fx.updates[0].slug, state: "installed", occurredAt: at(9), eventId: "r-1" },
      { device: "WS-0000", update: fx.updates[0].slug, state: "failed", occurredAt: at(3), eventId: "r-2", errorCode: "0x80070070" },
      { device: "WS-0001", update: fx.updates[0].slug, state: "downloading", occurredAt: at(2), eventId: "r-3" },
    ]);
    expect(answer).toEqual({ accepted: 2, duplicates: 1, stale: 0, rejected: [], replayed: false });
    const row = await deployment(0, 0);
    expect(row).toMatchObject({ state: "failed", attempts: 1 });
    expect(row.state_event_key.startsWith("r-2")).toBe(true);
    expect(new Date(row.last_reported_at).toISOString()).toBe(at(3));
    expect(await deployment(1, 0)).toMatchObject({ state: "downloading", attempts: 0 });
    expect(driftCount(await verifySummaries(handle.db))).toBe(0);
  });

  it("creates a new deployment from its new events only, and none from repeats alone", async () => {
    // Update 1 has no deployments yet. r-3 (sent above for another deployment) is repeated here for
    // WS-0002, so WS-0002 × update 1 starts from r-4 alone; WS-0003 × update 1 is reported only by a repeat.
    const answer = await ingest([
      { device: "WS-0002", update: fx.updates[1].slug, state: "installed", occurredAt: at(8), eventId: "r-3" },
      { device: "WS-0002", update: fx.updates[1].slug, state: "downloading", occurredAt: at(4), eventId: "r-4" },
      { device: "WS-0003", update: fx.updates[1].slug, state: "installed", occurredAt: at(5), eventId: "r-2" },
    ]);
    expect(answer).toEqual({ accepted: 1, duplicates: 2, stale: 0, rejected: [], replayed: false });
    expect(await deployment(2, 1)).toMatchObject({ state: "downloading", attempts: 0 });
    expect(await deployment(3, 1)).toBeUndefined();
    const [history] = await queryRows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from status_events where device_id = ${fx.devices[3].id} and update_id = ${fx.updates[1].id}`,
    );
    expect(history.n).toBe(0);
    expect(driftCount(await verifySummaries(handle.db))).toBe(0);
  });

  it("stores a batch of repeats alone as duplicates without touching a deployment", async () => {
    const before = await deployment(0, 0);
    const answer = await ingest([
      { device: "WS-0000", update: fx.updates[0].slug, state: "rolled_back", occurredAt: at(30), eventId: "r-1" },
      { device: "WS-0000", update: fx.updates[0].slug, state: "installed", occurredAt: at(31), eventId: "r-2" },
    ]);
    expect(answer).toEqual({ accepted: 0, duplicates: 2, stale: 0, rejected: [], replayed: false });
    expect(await deployment(0, 0)).toEqual(before);
    expect(driftCount(await verifySummaries(handle.db))).toBe(0);
  });
});
