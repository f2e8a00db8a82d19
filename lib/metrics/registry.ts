import "server-only";
// What operators scrape from GET /api/metrics (Prometheus text format): request durations by route
// pattern, ingested status events by outcome, database pool use, the notification outbox's backlog and
// the Node.js process defaults.
// Kept on globalThis so Next.js module copies and hot reloads count into the one registry.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { getDbHandle } from "@/db/client";
import { outboxBacklog } from "@/lib/outbox/events";
import { replicaHealth } from "@/lib/server/replica-reads";

export type IngestOutcomeCounts = { accepted: number; duplicates: number; stale: number; rejected: number };
const INGEST_OUTCOMES = ["accepted", "duplicates", "stale", "rejected"] as const;

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "rollcall_" });

  // Labels stay bounded: the route pattern (never the URL), the method and the status code.
  const httpRequestDuration = new Histogram({
    name: "rollcall_http_request_duration_seconds",
    help: "Time from a request reaching a route handler until its response (headers) is ready, by route pattern.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const ingestEvents = new Counter({
    name: "rollcall_ingest_events_total",
    help: "Status events answered by ingest, by outcome (accepted, duplicates, stale, rejected); counted after commit, replays not again.",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  // Every outcome is a series from the start, so a rate() over it needs no first event.
  for (const outcome of INGEST_OUTCOMES) ingestEvents.inc({ outcome }, 0);

  // Read at scrape time from the process-wide handle: a pg Pool's counts, or PGlite's one connection.
  new Gauge({
    name: "rollcall_db_pool_connections",
    help: "Database connections by state: total (open), idle, waiting (callers queued for a connection). PGlite: 1 total, 0 idle, 0 waiting.",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const handle = await getDbHandle().catch(() => null);
      const pool = handle?.pool;
      const counts = pool
        ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }
        : handle
          ? { total: 1, idle: 0, waiting: 0 }
          : { total: 0, idle: 0, waiting: 0 };
      for (const [state, value] of Object.entries(counts)) this.set({ state }, value);
    },
  });

  // The outbox's backlog, read at scrape time: events not yet fanned out to their webhooks plus
  // deliveries still pending, and how long the oldest of them has waited. prom-client collects the
  // gauges of one scrape concurrently, so both share one read of the table.
  let backlogRead: { at: number; value: Promise<{ pending: number; oldestAgeSeconds: number }> } | null = null;
  const backlog = () => {
    if (!backlogRead || Date.now() - backlogRead.at > 1_000) {
      const value = getDbHandle()
        .then((handle) => outboxBacklog(handle.db))
        .catch(() => ({ pending: 0, oldestAgeSeconds: 0 }));
      backlogRead = { at: Date.now(), value };
    }
    return backlogRead.value;
  };
  new Gauge({
    name: "rollcall_outbox_backlog",
    help: "Notifications not yet delivered: outbox events not fanned out plus webhook deliveries pending (retries included).",
    registers: [registry],
    async collect() {
      this.set((await backlog()).pending);
    },
  });
  new Gauge({
    name: "rollcall_outbox_oldest_pending_seconds",
    help: "Age of the oldest undelivered notification, in seconds (0 when nothing waits).",
    registers: [registry],
    async collect() {
      this.set((await backlog()).oldestAgeSeconds);
    },
  });

  // The read replica (DATABASE_REPLICA_URL), from its last probe: no series without one.
  new Gauge({
    name: "rollcall_replica_lag_seconds",
    help: "How far behind the read replica's numbers are, by status: ok (reads go to it), behind, unreachable or not_a_standby (reads go to the primary; lag -1 when unknown).",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const replica = await replicaHealth();
      if (replica) this.set({ status: replica.status }, replica.lagSeconds ?? -1);
    },
  });

  return { registry, httpRequestDuration, ingestEvents };
}

type Metrics = ReturnType<typeof createMetrics>;
const holder = globalThis as { __rollcallMetrics?: Metrics };

export function metrics(): Metrics {
  return (holder.__rollcallMetrics ??= createMetrics());
}

/** Counts one ingest answer's events by outcome. */
export function countIngestOutcome(outcome: IngestOutcomeCounts): void {
  const { ingestEvents } = metrics();
  for (const key of INGEST_OUTCOMES) {
    if (outcome[key] > 0) ingestEvents.inc({ outcome: key }, outcome[key]);
  }
}

/** The whole registry as Prometheus text, and its content type. */
export async function scrapeMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
