// `npm run bench` (`-- --quick` for a short run): seeds a fleet on PostgreSQL, builds and starts the
// production server on 127.0.0.1, measures pages, search, CSV export and ingest at fixed rates, measures
// the floors (the same reads straight from the data-access layer, and a trivial route) in the same run,
// prints each result with its ratio to the floor, and writes bench/results/<date>.json and
// docs/performance.md. Every load is bounded in count and time.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { openPostgres, queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/db/seed/demo";
import { seedScale } from "@/db/seed/scale";
import type { Actor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { getOverview } from "@/lib/overview/queries";
import { loadAtRate, timeRuns, type LoadResult } from "./load";
import { writePerformanceReport, type BenchReport, type Measurement } from "./report";

const root = path.resolve(import.meta.dirname, "..");
const quick = process.argv.includes("--quick");
const DEVICES = Number(process.env.BENCH_DEVICES || (quick ? 10_000 : 100_000));
const SECONDS = quick ? 8 : 20;
const RATE = 50;
const PORT = Number(process.env.BENCH_PORT || 3400);
const BASE = `http://127.0.0.1:${PORT}`;
const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const system: Actor = { kind: "system", label: "bench" };

function log(line: string) {
  process.stdout.write(`[bench] ${line}\n`);
}

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = "rollcall_bench";
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function waitForHealth(timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${BASE}/api/health`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not become healthy in time");
}

/** Signs in through next-auth's scripted flow and returns the session cookie header. */
async function signIn(email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${BASE}/api/auth/csrf`);
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie(), origin: BASE },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed (${res.status})`);
  return cookie();
}

function measurement(name: string, result: LoadResult, floor: { p95: number } | null, target?: string): Measurement {
  return { name, ...result, floorP95: floor?.p95 ?? null, ratio: floor ? result.p95 / floor.p95 : null, target };
}

async function main() {
  const started = Date.now();
  log(`profile: ${quick ? "quick" : "full"}, ${DEVICES.toLocaleString("en")} devices × 10 updates on PostgreSQL`);
  const database = await freshDatabase();
  let server: ChildProcess | undefined;
  let handle: DbHandle | undefined;
  const measurements: Measurement[] = [];
  const notes: string[] = [];
  try {
    handle = openPostgres(database.url, { max: 4, applicationName: "rollcall-bench" });
    useDbHandle(handle);
    await migrateDatabase(handle);
    const { logins } = await seedDemo(handle.db);
    const seedStarted = Date.now();
    let lastPrint = 0;
    await seedScale(handle.db, DEVICES, {
      onProgress: (done, total) => {
        if (Date.now() - lastPrint > 5_000 || done === total) {
          lastPrint = Date.now();
          log(`seeding ${done.toLocaleString("en")} / ${total.toLocaleString("en")} devices`);
        }
      },
    });
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const [counts] = await queryRows<{ devices: number; deployments: number; events: number }>(
      handle.db,
      sql`select (select count(*)::int from devices) as devices, (select count(*)::int from deployments) as deployments,
                 (select count(*)::int from status_events) as events`,
    );
    log(`seeded in ${seedSeconds.toFixed(0)} s: ${counts.devices} devices, ${counts.deployments} deployments, ${counts.events} status events`);
    await handle.db.execute(sql`analyze`);

    const token = await createApiToken(system, { name: "bench", scopes: ["read", "ingest"] });
    const [rollout] = await queryRows<{ id: number }>(handle.db, sql`select id from rollouts order by id desc limit 1`);
    const [device] = await queryRows<{ hostname: string }>(handle.db, sql`select hostname from devices where hostname like 'SCALE-%' order by id limit 1 offset 1234`);

    log("building the production server");
    const distDir = ".next-bench";
    const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      stdio: "ignore",
      env: { ...process.env, NEXT_DIST_DIR: distDir },
    });
    if (build.status !== 0) throw new Error("next build failed");
    server = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DATABASE_URL: database.url, PORT: String(PORT), NEXT_DIST_DIR: distDir, NEXTAUTH_URL: BASE, DATABASE_POOL_MAX: "10" },
    });
    await waitForHealth(120_000);
    const viewer = logins.find((l) => l.role === "viewer")!;
    const cookie = await signIn(viewer.email, viewer.password);
    const auth = { cookie };
    const bearer = { authorization: `Bearer ${token.token}` };

    // Floors: a trivial route through the whole Next.js stack, and each page's reads straight from the DAL.
    const trivial = await loadAtRate({ url: `${BASE}/api/health`, rate: RATE, seconds: SECONDS });
    measurements.push(measurement("trivial route GET /api/health (floor)", trivial, null));
    const overviewFloor = await timeRuns(() => getOverview(system), 100);

    // Warm each page once so compilation caches do not land in the measured window.
    for (const p of ["/", `/rollouts/${rollout.id}`, `/devices/${device.hostname}`]) await fetch(`${BASE}${p}`, { headers: auth });

    const overview = await loadAtRate({ url: `${BASE}/`, rate: RATE, seconds: SECONDS, headers: auth });
    measurements.push(measurement("overview page /", overview, overviewFloor, "p95 < 150 ms at 50 req/s"));

    const rolloutPage = await loadAtRate({ url: `${BASE}/rollouts/${rollout.id}`, rate: RATE, seconds: SECONDS, headers: auth });
    measurements.push(measurement(`rollout page /rollouts/${rollout.id}`, rolloutPage, trivial, "p95 < 150 ms at 50 req/s"));

    const devicePage = await loadAtRate({ url: `${BASE}/devices/${device.hostname}`, rate: RATE, seconds: SECONDS, headers: auth });
    measurements.push(measurement(`device page /devices/${device.hostname}`, devicePage, trivial));

    const search = await loadAtRate({ url: `${BASE}/api/v1/search?q=${encodeURIComponent(device.hostname.slice(0, 9))}`, rate: RATE, seconds: SECONDS, headers: bearer });
    measurements.push(measurement("one-box search /api/v1/search (hostname prefix)", search, trivial, "p95 < 20 ms"));

    // CSV export of a whole rollout.
    const csvStarted = performance.now();
    const csvRes = await fetch(`${BASE}/api/v1/rollouts/${rollout.id}/devices.csv`, { headers: bearer });
    let csvRows = 0;
    if (csvRes.ok && csvRes.body) {
      const reader = csvRes.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const byte of value) if (byte === 10) csvRows++;
      }
      notes.push(`CSV export of rollout ${rollout.id}: ${csvRows.toLocaleString("en")} lines in ${((performance.now() - csvStarted) / 1000).toFixed(2)} s`);
    } else {
      notes.push(`CSV export: not measured (GET /api/v1/rollouts/{id}/devices.csv answered ${csvRes.status})`);
    }

    const ingest = await measureIngest(handle, bearer);
    notes.push(...ingest.notes);
    measurements.push(...ingest.measurements);

    const report: BenchReport = {
      date: new Date().toISOString(),
      profile: quick ? "quick" : "full",
      machine: { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      dataset: { ...counts, seedSeconds },
      rate: RATE,
      seconds: SECONDS,
      measurements,
      notes,
      durationSeconds: (Date.now() - started) / 1000,
    };
    for (const m of measurements) {
      log(`${m.name}: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, ${m.requests} requests, ${m.non2xx + m.errors} errors${m.ratio ? `, ${m.ratio.toFixed(1)}× floor` : ""}`);
    }
    for (const n of notes) log(n);
    writePerformanceReport(root, report);
    log(`wrote docs/performance.md and bench/results/ in ${report.durationSeconds.toFixed(0)} s`);
  } finally {
    server?.kill("SIGTERM");
    await handle?.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
  }
}

/** Ingest over HTTP in batches of 1,000 and 100, against the raw set-based SQL upsert as the floor. */
async function measureIngest(handle: DbHandle, headers: Record<string, string>) {
  const notes: string[] = [];
  const measurements: Measurement[] = [];
  const devices = await queryRows<{ hostname: string }>(handle.db, sql`select hostname from devices where hostname like 'SCALE-%' order by id limit 20000`);
  const [update] = await queryRows<{ slug: string }>(handle.db, sql`select slug from updates order by id desc limit 1`);
  const base = Date.now() - 60_000;
  let seq = 0;
  const makeBatch = (size: number) =>
    JSON.stringify(
      Array.from({ length: size }, () => {
        const n = seq++;
        return {
          device: devices[n % devices.length].hostname,
          update: update.slug,
          state: n % 3 === 0 ? "installed" : n % 3 === 1 ? "downloading" : "installing",
          occurredAt: new Date(base + n).toISOString(),
          eventId: `bench-${n}`,
        };
      }),
    );
  for (const size of [1000, 100]) {
    const batches = size === 1000 ? (quick ? 20 : 60) : quick ? 100 : 300;
    const bodies = Array.from({ length: batches }, () => makeBatch(size));
    const t0 = performance.now();
    const latencies: number[] = [];
    let accepted = 0;
    let failures = 0;
    // Two batches in flight, like two distribution points reporting at once.
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const s = performance.now();
          const res = await fetch(`${BASE}/api/v1/status-events`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
          latencies.push(performance.now() - s);
          if (res.ok) accepted += ((await res.json()) as { accepted: number }).accepted;
          else failures++;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const perSecond = (batches * size) / seconds;
    notes.push(`ingest over HTTP, batches of ${size}: ${Math.round(perSecond).toLocaleString("en")} events/s (${accepted.toLocaleString("en")} accepted, ${failures} failed batches; target ≥ 50,000/s)`);
    const sorted = latencies.sort((a, b) => a - b);
    measurements.push({
      name: `ingest batch of ${size} (latency per batch)`,
      requests: batches,
      non2xx: failures,
      errors: 0,
      p50: sorted[Math.floor(sorted.length * 0.5)],
      p95: sorted[Math.floor(sorted.length * 0.95)],
      p99: sorted[Math.floor(sorted.length * 0.99)],
      max: sorted[sorted.length - 1],
      rps: batches / seconds,
      floorP95: null,
      ratio: null,
      eventsPerSecond: perSecond,
    });
  }
  // Floor: the same kind of upsert as one set-based statement, without validation, dedup or summaries.
  const n = quick ? 20_000 : 100_000;
  const ids = await queryRows<{ id: number }>(handle.db, sql`select id from devices order by id limit ${n}`);
  const [u] = await queryRows<{ id: number }>(handle.db, sql`select id from updates order by id limit 1`);
  const t0 = performance.now();
  await handle.db.execute(sql`
    insert into deployments (device_id, update_id, state, state_occurred_at)
    select d, ${u.id}, 'installed', now() from unnest(${`{${ids.map((r) => r.id).join(",")}}`}::int[]) as d
    on conflict (device_id, update_id) do update set state = excluded.state, state_occurred_at = excluded.state_occurred_at`);
  const floorRate = ids.length / ((performance.now() - t0) / 1000);
  notes.push(`raw SQL upsert floor: ${Math.round(floorRate).toLocaleString("en")} rows/s (one set-based statement, no history, no summaries)`);
  return { notes, measurements };
}

main().catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
