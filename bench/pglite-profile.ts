// The embedded-database profile of `npm run bench` (smaller, and flagged as such in the report):
// PGlite runs inside the server's event loop, so besides ingest throughput over HTTP it measures
// what ingest does to the pages — the overview's p99 while idle and while batches stream in.
//
// Run alone (no PostgreSQL part, nothing written to docs/): `node --conditions=react-server --import
// tsx bench/pglite-profile.ts`, with BENCH_DIST_DIR (a production build, made unless
// BENCH_SKIP_BUILD=1), BENCH_PORT, BENCH_PGLITE_DEVICES (5,000) and BENCH_PGLITE_BATCHES (10);
// ROLLCALL_PGLITE_INGEST_PART_SIZE=1000 gives the server one transaction per batch, for comparison.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { openPglite, useDbHandle } from "@/db/client";
import { readDbConfig } from "@/db/config";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/lib/seed/demo";
import { seedScale } from "@/lib/seed/scale";
import type { Actor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { EMBEDDED_PART_SIZE } from "@/lib/deployments/ingest";
import { driftCount, recomputeSummaries, verifySummaries } from "@/lib/deployments/summaries";
import { loadFleet, makeGenerator, type Generated } from "./ingest-events";
import { drive, postOverHttp, throughRawSql, throughputRow, type Throughput } from "./ingest-http";
import { loadAtRate } from "./load";
import { measurement, type Measurement } from "./report";
import { buildServer, signIn, startServer } from "./server";

const system: Actor = { kind: "system", label: "bench" };

function readDbConfigFor(root: string): string {
  const config = readDbConfig({ ROLLCALL_DATA_DIR: root });
  if (config.kind !== "pglite") throw new Error("expected the embedded database");
  return config.dataDir;
}

/** The same batch posted twice with one Idempotency-Key (a distribution point retrying after a lost answer): the second is the first's answer, replayed. */
async function retriedBatch(base: string, headers: Record<string, string>, batch: Generated): Promise<string> {
  const key = `bench-retry-${Date.now()}`;
  const send = () =>
    fetch(`${base}/api/v1/status-events`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(batch.map((e) => e.wire)),
    });
  const first = await send();
  const firstBody = await first.text();
  const second = await send();
  const secondBody = await second.text();
  const replayed = second.headers.get("idempotent-replayed") === "true" && secondBody === firstBody;
  return `PGlite: a batch of ${batch.length} retried with the same Idempotency-Key: ${replayed ? "the retry was answered with the first one's stored answer (idempotent-replayed), not applied again" : `NOT replayed (${first.status} then ${second.status})`}`;
}

export async function measurePgliteProfile(options: {
  root: string;
  distDir: string;
  port: number;
  devices: number;
  batches: number;
  log: (line: string) => void;
}): Promise<{ measurements: Measurement[]; notes: string[] }> {
  const { log } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-pglite-"));
  const measurements: Measurement[] = [];
  const notes: string[] = [];
  try {
    const seeded = Date.now();
    // The server's layout: the database in <data root>/pglite (db/config.ts).
    const handle = await openPglite(readDbConfigFor(dir), "bench");
    let token: string;
    let viewer: { email: string; password: string };
    let fleet;
    const floors = new Map<number, Throughput>();
    try {
      useDbHandle(handle);
      await migrateDatabase(handle);
      const { logins } = await seedDemo(handle.db);
      viewer = logins.find((l) => l.role === "viewer")!;
      await seedScale(handle.db, options.devices);
      token = (await createApiToken(system, { name: "bench-pglite", scopes: ["read", "ingest"] })).token;
      fleet = await loadFleet(handle.db);
      // The floor, on the same data before the server takes it: the raw set-based SQL, one batch at a time.
      const rawEvents = makeGenerator(fleet, "pglite-raw");
      for (const size of [1000, 100]) {
        floors.set(size, await drive(Array.from({ length: size === 1000 ? options.batches : options.batches * 3 }, () => rawEvents(size)), 1, throughRawSql(handle.db)));
      }
      // The floor skips the summaries: rebuild them, so the product's ingest starts (and must end) exact.
      await handle.db.transaction((tx) => recomputeSummaries(tx));
    } finally {
      await handle.close();
    }
    log(`PGlite: seeded ${options.devices.toLocaleString("en")} devices in ${((Date.now() - seeded) / 1000).toFixed(0)} s; starting the server on it`);
    notes.push(`PGlite rows are a smaller profile: ${options.devices.toLocaleString("en")} devices × 10 updates in the embedded database, which runs inside the server's event loop`);
    const partSize = Number(process.env.ROLLCALL_PGLITE_INGEST_PART_SIZE) || EMBEDDED_PART_SIZE;
    notes.push(
      `PGlite: the server commits each batch in parts of ${partSize.toLocaleString("en")} events (one transaction each, the answer after the last); ` +
        `load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} when the PGlite profile started`,
    );

    const server = await startServer({ root: options.root, distDir: options.distDir, port: options.port, env: { DATABASE_URL: undefined, ROLLCALL_DATA_DIR: dir } });
    try {
      const cookie = await signIn(server.base, viewer.email, viewer.password);
      const bearer = { authorization: `Bearer ${token}` };
      await fetch(`${server.base}/`, { headers: { cookie } });
      const idle = await loadAtRate({ url: `${server.base}/`, rate: 10, seconds: 8, headers: { cookie } });
      measurements.push(measurement("PGlite: overview page /, idle (10 req/s)", idle, null));

      const generate = makeGenerator(fleet, "pglite");
      for (const size of [1000, 100]) {
        const batches = Array.from({ length: size === 1000 ? options.batches : options.batches * 3 }, () => generate(size));
        const post = postOverHttp(server.base, bearer);
        await post(generate(size));
        if (size === 1000) {
          // The pages while ingest runs: the overview at 10 req/s for as long as the batches take.
          const ingest = drive(batches, 2, post);
          const pages = loadAtRate({ url: `${server.base}/`, rate: 10, seconds: 8, headers: { cookie } });
          const [t, busy] = await Promise.all([ingest, pages]);
          measurements.push(throughputRow(`PGlite: ingest over HTTP, batches of ${size}, 2 in flight`, t, floors.get(size) ?? null, "≥ 20,000 events/s"));
          measurements.push(measurement("PGlite: overview page /, during ingest (10 req/s)", busy, idle, "p99 < 250 ms at 10 req/s"));
          notes.push(`PGlite: ingest over HTTP, batches of 1,000: ${Math.round(t.eventsPerSecond).toLocaleString("en")} events/s (raw SQL floor ${Math.round(floors.get(1000)?.eventsPerSecond ?? 0).toLocaleString("en")}; target ≥ 20,000/s); overview p99 ${idle.p99.toFixed(0)} ms idle, ${busy.p99.toFixed(0)} ms during ingest`);
        } else {
          const t = await drive(batches, 2, post);
          measurements.push(throughputRow(`PGlite: ingest over HTTP, batches of ${size}, 2 in flight`, t, floors.get(size) ?? null, "≥ 20,000 events/s"));
          notes.push(`PGlite: ingest over HTTP, batches of 100: ${Math.round(t.eventsPerSecond).toLocaleString("en")} events/s (raw SQL floor ${Math.round(floors.get(100)?.eventsPerSecond ?? 0).toLocaleString("en")})`);
        }
      }
      log("PGlite: a batch retried with its Idempotency-Key");
      notes.push(await retriedBatch(server.base, bearer, generate(1000)));
    } finally {
      log("PGlite: stopping the server");
      await server.stop();
    }
    // Every batch above was answered after its COMMIT; the summaries must still equal a GROUP BY over the deployments.
    // Bounded: a check that never answers is reported as such instead of holding the whole report back.
    log("PGlite: verify-summaries on the server's data directory");
    const verified = (async () => {
      const after = await openPglite(readDbConfigFor(dir), "bench");
      try {
        return driftCount(await verifySummaries(after.db));
      } finally {
        await after.close();
      }
    })();
    const limit = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 180_000).unref());
    const drift = await Promise.race([verified, limit]);
    notes.push(
      drift === "timeout"
        ? "PGlite: after the ingest, verify-summaries did not answer within 180 s (not judged)"
        : `PGlite: after the ingest, verify-summaries finds ${drift === 0 ? "no drift" : `${drift} drifting rows`}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { measurements, notes };
}

// Run alone: the PGlite profile without the PostgreSQL part, printed rather than written to docs/.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(import.meta.dirname, "..");
  const distDir = process.env.BENCH_DIST_DIR || ".next-bench";
  const log = (line: string) => process.stdout.write(`[bench:pglite] ${line}\n`);
  if (process.env.BENCH_SKIP_BUILD !== "1") {
    log(`building the production server into ${distDir}`);
    buildServer(root, distDir);
  }
  measurePgliteProfile({
    root,
    distDir,
    port: Number(process.env.BENCH_PORT || 3401),
    devices: Number(process.env.BENCH_PGLITE_DEVICES || 5_000),
    batches: Number(process.env.BENCH_PGLITE_BATCHES || 10),
    log,
  }).then(
    ({ measurements, notes }) => {
      for (const m of measurements) {
        const rate = m.eventsPerSecond ? `, ${Math.round(m.eventsPerSecond).toLocaleString("en")} events/s` : "";
        log(`${m.name}: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, max ${m.max.toFixed(1)} ms, ${m.requests} requests, ${m.non2xx + m.errors} errors${rate}`);
      }
      for (const note of notes) log(note);
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
