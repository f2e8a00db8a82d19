// Ingest throughput over HTTP against the production server: batches posted by `concurrency`
// clients at once (distribution points report in parallel), the latency of every batch kept.
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { rawBatch, type Generated } from "./ingest-events";
import { summariseLatencies } from "./load";
import type { Measurement } from "./report";

export type Throughput = { events: number; seconds: number; eventsPerSecond: number; failures: number; latencies: number[] };

/** Runs `work` over `batches` with `concurrency` workers; the throughput and per-batch latencies. */
export async function drive(batches: Generated[], concurrency: number, work: (batch: Generated) => Promise<boolean>): Promise<Throughput> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const started = performance.now();
        if (!(await work(batch))) failures++;
        latencies.push(performance.now() - started);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const events = batches.reduce((n, b) => n + b.length, 0);
  return { events, seconds, eventsPerSecond: events / seconds, failures, latencies };
}

export function postOverHttp(base: string, headers: Record<string, string>) {
  return async (batch: Generated): Promise<boolean> => {
    const res = await fetch(`${base}/api/v1/status-events`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(batch.map((e) => e.wire)),
    });
    const body = (await res.json().catch(() => null)) as { rejected?: unknown[] } | null;
    return res.ok && Array.isArray(body?.rejected) && body.rejected.length === 0;
  };
}

export function throughDal(db: Db, actor: Actor) {
  return async (batch: Generated): Promise<boolean> => {
    const result = await ingestStatusEvents(actor, batch.map((e) => e.wire), { db });
    return result.rejected.length === 0;
  };
}

export function throughRawSql(db: Db) {
  return async (batch: Generated): Promise<boolean> => {
    await rawBatch(db, batch);
    return true;
  };
}

/** A throughput as a report row: latency per batch, events/s, and its share of the floor's rate. */
export function throughputRow(name: string, t: Throughput, floor: Throughput | null, target?: string): Measurement {
  return {
    name,
    requests: t.latencies.length,
    non2xx: t.failures,
    errors: 0,
    ...summariseLatencies(t.latencies),
    rps: t.latencies.length / t.seconds,
    floorP95: null,
    ratio: null,
    eventsPerSecond: t.eventsPerSecond,
    floorEventsPerSecond: floor?.eventsPerSecond,
    target,
  };
}
