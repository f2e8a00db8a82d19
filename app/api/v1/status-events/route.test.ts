import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { createApiToken } from "@/lib/auth/tokens";
import { createIngestFixture } from "@/test/support/fixtures/ingest";
import { POST } from "./route";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";

const URL_ = "http://127.0.0.1:3999/api/v1/status-events";
const system = { kind: "system", label: "test" } as const;

function post(body: BodyInit | null, headers: Record<string, string> = {}): Promise<Response> {
  return POST(new Request(URL_, { method: "POST", body, headers: { "content-type": "application/json", ...headers } }));
}

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as { type: string; title: string; status: number; detail: string };
  expect(body.status).toBe(response.status);
  expect(typeof body.type).toBe("string");
  expect(typeof body.detail).toBe("string");
  return body;
}

const event = (i: number, extra: Record<string, unknown> = {}) => ({
  device: `ws-${String(i).padStart(4, "0")}`,
  update: "windows-xp-sp2",
  state: "installed",
  occurredAt: "2004-08-25T10:00:00Z",
  eventId: `r-${i}`,
  ...extra,
});

describe.each(testDbKinds)("POST /api/v1/status-events on %s", (kind) => {
  let handle: DbHandle;
  let ingest: Record<string, string>;
  let read: Record<string, string>;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await createIngestFixture(handle.db, { devices: 10, updates: 1 });
    ingest = { authorization: `Bearer ${(await createApiToken(system, { name: "sccm", scopes: ["ingest"] })).token}` };
    read = { authorization: `Bearer ${(await createApiToken(system, { name: "reader", scopes: ["read"] })).token}` };
  });
  afterAll(() => handle?.close());

  it("stores a JSON array and answers the four buckets", async () => {
    const response = await post(JSON.stringify([event(0), event(1), event(1), { ...event(2), device: "nope" }]), ingest);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      accepted: 2,
      duplicates: 1,
      stale: 0,
      rejected: [{ index: 3, errors: [{ path: "device", message: 'unknown device "nope"' }] }],
    });
  });

  it("stores NDJSON, a malformed line becoming a rejected row", async () => {
    const body = [JSON.stringify(event(3)), "{not json", JSON.stringify(event(4))].join("\n");
    const response = await post(body, { ...ingest, "content-type": "application/x-ndjson" });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { accepted: number; rejected: Array<{ index: number }> };
    expect(answer.accepted).toBe(2);
    expect(answer.rejected.map((r) => r.index)).toEqual([1]);
  });

  it("answers 401 without or with a bad token, 403 for a token without the ingest scope", async () => {
    expect((await problemOf(await post("[]"))).status).toBe(401);
    expect((await post("[]", { authorization: "Bearer rc_nonsense" })).status).toBe(401);
    expect((await problemOf(await post("[]", read))).status).toBe(403);
  });

  it("answers 400 for malformed JSON or a non-array, 413 beyond 10 MB or 10,000 events, 415 for another type", async () => {
    expect((await problemOf(await post("[{", ingest))).status).toBe(400);
    expect((await problemOf(await post('{"device":"ws-0001"}', ingest))).status).toBe(400);
    expect((await problemOf(await post("[]", { ...ingest, "content-length": String(11 * 1024 * 1024) }))).status).toBe(413);
    const padded = JSON.stringify([event(5, { message: "x".repeat(1000) })]).padEnd(10 * 1024 * 1024 + 10, " ");
    expect((await problemOf(await post(padded, ingest))).status).toBe(413);
    const many = JSON.stringify(Array.from({ length: 10_001 }, (_, i) => event(i % 10, { eventId: `m-${i}` })));
    expect((await problemOf(await post(many, ingest))).status).toBe(413);
    expect((await problemOf(await post("device,update", { ...ingest, "content-type": "text/csv" }))).status).toBe(415);
    const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from status_events where event_id like 'm-%'`);
    expect(row.n).toBe(0);
  });

  it("replays the stored answer for a repeated Idempotency-Key, 422 for another body with it, 400 for a bad key", async () => {
    const body = JSON.stringify([event(6, { eventId: undefined })]);
    const first = await post(body, { ...ingest, "idempotency-key": "batch-0001" });
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await post(body, { ...ingest, "idempotency-key": "batch-0001" });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect((await problemOf(await post(JSON.stringify([event(7)]), { ...ingest, "idempotency-key": "batch-0001" }))).status).toBe(422);
    expect((await problemOf(await post(body, { ...ingest, "idempotency-key": "has space" }))).status).toBe(400);
  });

  it("answers 503 with Retry-After when the database cannot be reached, and nothing is acknowledged", async () => {
    useDbHandle(openPostgres("postgres://postgres@127.0.0.1:1/unreachable", { max: 1 }));
    try {
      const response = await post(JSON.stringify([event(8)]), ingest);
      expect((await problemOf(response)).status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
    } finally {
      useDbHandle(handle);
    }
    const retried = await post(JSON.stringify([event(8)]), ingest);
    expect(await retried.json()).toMatchObject({ accepted: 1, duplicates: 0 });
  });
});
