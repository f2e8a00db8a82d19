// `npm run bench:ingest`: status-ingest throughput against a scale seed (100,000 devices × 10
// updates = 1M deployments by default), on PGlite and — with BENCH_DATABASE_URL, TEST_DATABASE_URL
// or DATABASE_URL naming a PostgreSQL server (a throw-away database is created there and dropped) —
// on PostgreSQL. Measured in one run per database:
//   raw    the floor: the same events inserted and upserted with two bare set-based statements per
//          batch (ids known, no validation, summaries, idempotency or audit)
//   dal    ingestStatusEvents() — everything the product does, without HTTP
//   http   POST /api/v1/status-events through a node:http server on 127.0.0.1 wrapping the route
//          handler (token auth, streaming body parse, DAL; no Next.js router in front)
// and on PGlite the p99 of the overview query while ingest runs (the embedded database shares the
// event loop with the pages). Prints events/s and the ratio to the raw floor; writes
// bench/results/ingest.json.
//
// Options: --devices N (100000) --events N (per measurement at batch 1000; 1/5 of it at batch 100)
//          --kinds pglite,postgres
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { useDbHandle, type DbHandle, type DbKind } from "@/db/client";
import { seedScale } from "@/lib/seed/scale";
import { createTestDb } from "@/db/test-db";
import type { Actor } from "@/lib/auth/actor";
import { createApiToken, resolveApiToken } from "@/lib/auth/tokens";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { driftCount, recomputeSummaries, verifySummaries } from "@/lib/deployments/summaries";
import { getOverview } from "@/lib/overview/queries";
import { POST } from "@/app/api/v1/status-events/route";
import { loadFleet, makeGenerator, rawBatch, type Generated } from "./ingest-events";
import { summariseLatencies } from "./load";

const { values } = parseArgs({
  options: {
    devices: { type: "string", default: "100000" },
    events: { type: "string", default: "100000" },
    kinds: { type: "string" },
  },
  strict: true,
});
const DEVICES = Number(values.devices);
const EVENTS = Number(values.events);
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";
const KINDS = (values.kinds?.split(",") ?? ["pglite", ...(PG_URL ? ["postgres"] : [])]) as DbKind[];

const fmt = (n: number) => Math.round(n).toLocaleString("en");

/** A minimal HTTP front for the route handler, so the measurement includes sockets and HTTP parsing. */
async function startHttpFront(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Readable.toWeb(req) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    const response = await POST(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v1/status-events`, close: () => new Promise((r) => server.close(() => r())) };
}

type Row = { db: DbKind; path: string; batch: number; events: number; seconds: number; eventsPerSecond: number; ratioToRaw?: number };

async function measure(label: string, total: number, batchSize: number, run: (batch: Generated) => Promise<void>, generate: (n: number) => Generated) {
  // Batches are generated up front so the timing is the ingest alone.
  const batches = Array.from({ length: Math.ceil(total / batchSize) }, () => generate(batchSize));
  await run(generate(batchSize)); // warm-up (plans, caches)
  const t0 = performance.now();
  for (const batch of batches) await run(batch);
  const seconds = (performance.now() - t0) / 1000;
  const events = batches.length * batchSize;
  console.log(`  ${label.padEnd(34)} ${fmt(events).padStart(9)} events in ${seconds.toFixed(2).padStart(6)} s = ${fmt(events / seconds).padStart(7)} events/s`);
  return { events, seconds, eventsPerSecond: events / seconds };
}

async function benchDatabase(kind: DbKind): Promise<{ rows: Row[]; pageP99?: { idleMs: number; duringIngestMs: number; samples: number } }> {
  if (kind === "postgres") process.env.TEST_DATABASE_URL = PG_URL;
  console.log(`\n${kind}: seeding ${fmt(DEVICES)} devices × 10 updates…`);
  const handle: DbHandle = await createTestDb(kind);
  useDbHandle(handle);
  const rows: Row[] = [];
  let pageP99: { idleMs: number; duringIngestMs: number; samples: number } | undefined;
  try {
    const seeded = Date.now();
    const seed = await seedScale(handle.db, DEVICES, {
      onProgress: (done, total) => process.stderr.write(`\r  seeding ${fmt(done)} / ${fmt(total)} devices`),
    });
    process.stderr.write("\n");
    console.log(`  seeded ${fmt(seed.devices)} devices, ${fmt(seed.deployments)} deployments, ${fmt(seed.statusEvents)} status events in ${((Date.now() - seeded) / 1000).toFixed(0)} s`);
    if (kind === "postgres") await handle.db.execute(sql`analyze`);

    const fleet = await loadFleet(handle.db);
    const system = { kind: "system", label: "bench" } as const;
    const created = await createApiToken(system, { name: "bench-ingest", scopes: ["ingest"] });
    const actor: Actor = (await resolveApiToken(created.token))!;
    const record = (path: string, batch: number, r: { events: number; seconds: number; eventsPerSecond: number }) => rows.push({ db: kind, path, batch, ...r });

    const small = Math.max(100, Math.floor(EVENTS / 5));
    const raw = makeGenerator(fleet, "raw");
    record("raw SQL floor", 1000, await measure("raw SQL floor, batches of 1,000", EVENTS, 1000, (b) => rawBatch(handle.db, b), raw));
    record("raw SQL floor", 100, await measure("raw SQL floor, batches of 100", small, 100, (b) => rawBatch(handle.db, b), raw));
    // The floor skipped the summaries; rebuild them so the product paths start (and end) exact.
    await handle.db.transaction((tx) => recomputeSummaries(tx));

    const dal = makeGenerator(fleet, "dal");
    const viaDal = async (b: Generated) => {
      await ingestStatusEvents(actor, b.map((e) => e.wire), { db: handle.db });
    };
    record("DAL", 1000, await measure("DAL, batches of 1,000", EVENTS, 1000, viaDal, dal));
    record("DAL", 100, await measure("DAL, batches of 100", small, 100, viaDal, dal));

    const front = await startHttpFront();
    try {
      const web = makeGenerator(fleet, "http");
      const viaHttp = async (b: Generated) => {
        const response = await fetch(front.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${created.token}` },
          body: JSON.stringify(b.map((e) => e.wire)),
        });
        if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
      };
      record("HTTP", 1000, await measure("HTTP (route handler), batches of 1,000", EVENTS, 1000, viaHttp, web));
      record("HTTP", 100, await measure("HTTP (route handler), batches of 100", small, 100, viaHttp, web));
    } finally {
      await front.close();
    }

    if (kind === "pglite") {
      // The overview page's query, sampled every 20 ms while idle and while batches of 1,000 stream in.
      const reader = { kind: "system", label: "bench-page" } as const;
      const sample = async (stop: () => boolean) => {
        const latencies: number[] = [];
        while (!stop()) {
          const t0 = performance.now();
          await getOverview(reader);
          latencies.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, 20));
        }
        return latencies;
      };
      const idleUntil = Date.now() + 3_000;
      const idle = summariseLatencies(await sample(() => Date.now() > idleUntil));
      const busyGen = makeGenerator(fleet, "busy");
      const busyBatches = Array.from({ length: Math.ceil(EVENTS / 2 / 1000) }, () => busyGen(1000));
      let finished = false;
      const ingesting = (async () => {
        for (const b of busyBatches) await viaDal(b);
      })().finally(() => (finished = true));
      const during = await sample(() => finished);
      await ingesting;
      const busy = summariseLatencies(during);
      pageP99 = { idleMs: idle.p99, duringIngestMs: busy.p99, samples: during.length };
      console.log(`  overview query p99: ${idle.p99.toFixed(1)} ms idle, ${busy.p99.toFixed(1)} ms during ingest (${during.length} samples)`);
    }

    const report = await verifySummaries(handle.db);
    const drift = driftCount(report);
    console.log(`  summaries after the run: ${drift === 0 ? "exact (no drift)" : `${drift} drifting rows!`}`);
    if (drift) process.exitCode = 1;
  } finally {
    await handle.close();
  }
  for (const row of rows) {
    const floor = rows.find((r) => r.path === "raw SQL floor" && r.batch === row.batch);
    if (floor && row !== floor) row.ratioToRaw = row.eventsPerSecond / floor.eventsPerSecond;
  }
  return { rows, pageP99 };
}

async function main() {
  const results: Record<string, unknown> = { at: new Date().toISOString(), devices: DEVICES, eventsPerMeasurement: EVENTS, databases: {} };
  const all: Row[] = [];
  for (const kind of KINDS) {
    const result = await benchDatabase(kind);
    (results.databases as Record<string, unknown>)[kind] = result;
    all.push(...result.rows);
  }
  console.log("\nsummary (events/s; ratio = share of the raw-SQL floor reached)");
  console.log("  db        path           batch   events/s   ratio");
  for (const r of all) {
    console.log(`  ${r.db.padEnd(9)} ${r.path.padEnd(14)} ${String(r.batch).padStart(5)} ${fmt(r.eventsPerSecond).padStart(10)}   ${r.ratioToRaw ? r.ratioToRaw.toFixed(2) : "—"}`);
  }
  const target = { postgres: 50_000, pglite: 20_000 } as const;
  for (const kind of KINDS) {
    const http1000 = all.find((r) => r.db === kind && r.path === "HTTP" && r.batch === 1000);
    if (http1000) console.log(`  target ${kind}: ≥ ${fmt(target[kind])}/s over HTTP (batches of 1,000): ${http1000.eventsPerSecond >= target[kind] ? "met" : "NOT met"} (${fmt(http1000.eventsPerSecond)}/s)`);
  }
  const out = path.join(import.meta.dirname, "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "ingest.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(`\nwritten to bench/results/ingest.json`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
