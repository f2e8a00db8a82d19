// GET /api/metrics: a monitoring system scrapes it with a read token and sees request durations by
// route pattern, ingested events by outcome and the database pool move as the app is used.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { outboxEvents } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { createApiToken } from "@/lib/auth/tokens";
import { MEASURED_ROUTE } from "@/lib/metrics/measured";
import { createIngestFixture, type IngestFixture } from "@/test/support/fixtures/ingest";
import { appRoutes, HTTP_METHODS } from "@/test/app-routes";
import { POST as postEvents } from "@/app/api/v1/status-events/route";
import { GET as listUpdates } from "@/app/api/v1/updates/route";
import { GET as getUpdate } from "@/app/api/v1/updates/[slug]/route";
import { GET } from "./route";

process.env.AUTH_SECRET ??= "metrics-secret-metrics-secret-0123456789";
const BASE = "http://127.0.0.1:3999";
const system = { kind: "system", label: "test" } as const;

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The samples of a Prometheus text exposition (comments skipped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe("route handlers under /api", () => {
  it("are each measured under their own route pattern", async () => {
    const wrong: string[] = [];
    for (const route of appRoutes().filter((r) => r.kind === "handler" && r.pattern.startsWith("/api/") && !r.pattern.startsWith("/api/auth/"))) {
      const mod = (await import(/* @vite-ignore */ `@/${route.file}`)) as Record<string, unknown>;
      const expected = route.pattern.replace(/\[([^\]]+)\]/g, "{$1}");
      for (const method of HTTP_METHODS) {
        const handler = mod[method] as { [MEASURED_ROUTE]?: string } | undefined;
        if (typeof handler === "function" && handler[MEASURED_ROUTE] !== expected) {
          wrong.push(`${route.file}: export const ${method} = measured("${expected}", async function ${method}(…) {…}) (now ${handler[MEASURED_ROUTE] ?? "not measured"})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe.each(testDbKinds)("GET /api/metrics on %s", (kind) => {
  let handle: DbHandle;
  let fixture: IngestFixture;
  let read: string;
  let ingest: string;

  const request = (path: string, token?: string, init: RequestInit = {}) =>
    new Request(BASE + path, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) } });
  const scrape = async () => {
    const res = await GET(request("/api/metrics", read));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await res.text());
  };

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fixture = await createIngestFixture(handle.db, { devices: 6, updates: 1 });
    read = (await createApiToken(system, { name: "prometheus", scopes: ["read"] })).token;
    ingest = (await createApiToken(system, { name: "sccm", scopes: ["ingest"] })).token;
  });
  afterAll(() => handle?.close());

  it("asks for a read token: 401 without one, 403 for an ingest token", async () => {
    expect((await GET(request("/api/metrics"))).status).toBe(401);
    expect((await GET(request("/api/metrics", ingest))).status).toBe(403);
  });

  it("counts requests by route pattern and status, ingested events by outcome, and shows the pool", async () => {
    const before = await scrape();
    const slug = fixture.updates[0].slug;
    await listUpdates(request("/api/v1/updates", read));
    await listUpdates(request("/api/v1/updates", read));
    await getUpdate(request(`/api/v1/updates/${slug}`, read), { params: Promise.resolve({ slug }) });
    await getUpdate(request("/api/v1/updates/no-such-update", read), { params: Promise.resolve({ slug: "no-such-update" }) });
    const [a, b] = fixture.devices;
    const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const events = [
      { device: a.hostname, update: slug, state: "installed", occurredAt: at(5), eventId: `m-${kind}-1` },
      { device: b.hostname, update: slug, state: "downloading", occurredAt: at(5), eventId: `m-${kind}-2` },
      { device: b.hostname, update: slug, state: "downloading", occurredAt: at(5), eventId: `m-${kind}-2` },
      { device: a.hostname, update: slug, state: "downloading", occurredAt: at(30), eventId: `m-${kind}-3` },
      { device: "NO-SUCH-PC", update: slug, state: "installed", occurredAt: at(5) },
    ];
    const answer = await postEvents(
      request("/api/v1/status-events", ingest, { method: "POST", body: JSON.stringify(events), headers: { "content-type": "application/json", "idempotency-key": `metrics-${kind}` } }),
    );
    expect(await answer.json()).toMatchObject({ accepted: 2, duplicates: 1, stale: 1, rejected: [{ index: 4 }] });
    // The same batch again is a replay: answered, not counted twice.
    await postEvents(
      request("/api/v1/status-events", ingest, { method: "POST", body: JSON.stringify(events), headers: { "content-type": "application/json", "idempotency-key": `metrics-${kind}` } }),
    );
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    const count = "rollcall_http_request_duration_seconds_count";
    expect(moved(count, { method: "GET", route: "/api/v1/updates", status: "200" })).toBe(2);
    expect(moved(count, { method: "GET", route: "/api/v1/updates/{slug}", status: "200" })).toBe(1);
    expect(moved(count, { method: "GET", route: "/api/v1/updates/{slug}", status: "404" })).toBe(1);
    expect(moved(count, { method: "POST", route: "/api/v1/status-events", status: "200" })).toBe(2);
    expect(moved("rollcall_http_request_duration_seconds_sum", { route: "/api/v1/updates" })).toBeGreaterThan(0);
    // The URL never becomes a label: no series names a concrete slug.
    expect(after.filter((s) => s.labels.route?.includes(slug) || s.labels.route?.includes("no-such-update"))).toEqual([]);

    expect(moved("rollcall_ingest_events_total", { outcome: "accepted" })).toBe(2);
    expect(moved("rollcall_ingest_events_total", { outcome: "duplicates" })).toBe(1);
    expect(moved("rollcall_ingest_events_total", { outcome: "stale" })).toBe(1);
    expect(moved("rollcall_ingest_events_total", { outcome: "rejected" })).toBe(1);

    const pool = (state: string) => value(after, "rollcall_db_pool_connections", { state });
    if (kind === "pglite") expect([pool("total"), pool("idle"), pool("waiting")]).toEqual([1, 0, 0]);
    else {
      expect(pool("total")).toBeGreaterThanOrEqual(1);
      expect(pool("idle")).toBeLessThanOrEqual(pool("total"));
      expect(pool("waiting")).toBe(0);
    }
    expect(value(after, "rollcall_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("shows the notification backlog and how long its oldest event has waited", async () => {
    // Each scrape shares one read of the outbox for a second: wait it out so both reads are fresh.
    const fresh = () => new Promise((resolve) => setTimeout(resolve, 1_100));
    await fresh();
    const backlogBefore = value(await scrape(), "rollcall_outbox_backlog");
    // An event nobody has delivered yet (no dispatcher runs in this test), written five minutes ago.
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
    await handle.db.insert(outboxEvents).values({ type: "update.slipped", occurredAt: fiveMinutesAgo, data: {}, link: `${BASE}/updates/x`, createdAt: fiveMinutesAgo });
    await fresh();
    const samples = await scrape();
    expect(value(samples, "rollcall_outbox_backlog")).toBe(backlogBefore + 1);
    expect(value(samples, "rollcall_outbox_oldest_pending_seconds")).toBeGreaterThanOrEqual(299);
  });
});
