// `npm run bench` (`-- --quick` for a short run, `-- --profile ceiling` for 1,000,000 devices on
// PostgreSQL alone, written to docs/performance-ceiling.md): seeds a fleet on PostgreSQL, builds and starts the
// production server on 127.0.0.1, measures pages, search, CSV export, ingest and Lighthouse at fixed
// rates, measures the floors (the same reads straight from the data-access layer, a trivial route,
// the raw-SQL upsert) in the same run, prints each result with its ratio to the floor, then repeats
// the ingest and page-during-ingest part on a smaller embedded (PGlite) profile. Writes
// bench/results/<date>.json and docs/performance.md. Every load is bounded in count and time.
// BENCH_REUSE_DB=1 keeps the database and reuses it when it holds the same fleet; BENCH_SEED_ONLY=1 seeds and stops.
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { databaseUrl, dropDatabase, recreateDatabase, withAdminClient } from "@/db/admin";
import { openPostgres, queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/lib/seed/demo";
import type { Actor } from "@/lib/auth/actor";
import { createApiToken, resolveApiToken } from "@/lib/auth/tokens";
import { getRolloutDashboard, getUpdateDashboard } from "@/lib/dashboards/queries";
import { getDevice } from "@/lib/devices/queries";
import { createKnownIssue } from "@/lib/known-issues/actions";
import { driftCount, verifySummaries } from "@/lib/deployments/summaries";
import { countedImpactForRollout, IMPACT_MAX_AGE_MS } from "@/lib/known-issues/impact-cache";
import { knownIssuesForDevice } from "@/lib/known-issues/queries";
import { getOverview } from "@/lib/overview/queries";
import { mediaStatusForRollout } from "@/lib/rollouts/media";
import { getRolloutDetail } from "@/lib/rollouts/queries";
import { readServerEnv } from "@/lib/server/env";
import { getUpdate } from "@/lib/updates/catalog";
import { loadFleet, makeGenerator } from "./ingest-events";
import { drive, postOverHttp, throughDal, throughRawSql, throughputRow, type Throughput } from "./ingest-http";
import { resetViewerPassword, seedScaleWithProgress } from "./fleet";
import { measureLighthouse } from "./lighthouse";
import { sampleRss } from "./memory";
import { loadAtRate, timeRuns, type Arrivals } from "./load";
import { measureOutbox } from "./outbox";
import { measurePgliteProfile } from "./pglite-profile";
import { measurement, writePerformanceReport, type BenchReport, type Measurement } from "./report";
import { measureSearch } from "./search";
import { buildServer, signIn, startServer, type BenchServer } from "./server";

const root = path.resolve(import.meta.dirname, "..");
const PROFILES = ["quick", "full", "ceiling"] as const;
type Profile = (typeof PROFILES)[number];
const profileArg = process.argv[process.argv.indexOf("--profile") + 1] ?? "";
const profile: Profile = process.argv.includes("--profile")
  ? PROFILES.includes(profileArg as Profile)
    ? (profileArg as Profile)
    : (() => {
        throw new Error(`--profile takes one of ${PROFILES.join(", ")}, not "${profileArg}"`);
      })()
  : process.argv.includes("--quick")
    ? "quick"
    : "full";
const quick = profile === "quick";
// The ceiling: 1,000,000 devices × 10 updates on PostgreSQL; pages at 50 req/s, search, the CSV export of
// a 1M-row rollout, verify-summaries and the database's size. No headroom, ingest, Lighthouse or PGlite rows.
const ceiling = profile === "ceiling";
const DEVICES = Number(process.env.BENCH_DEVICES || (quick ? 10_000 : ceiling ? 1_000_000 : 100_000));
const PGLITE_DEVICES = Number(process.env.BENCH_PGLITE_DEVICES || (quick ? 5_000 : 20_000));
const SECONDS = quick ? 8 : 20;
const RATE = 50;
const HEADROOM_RATES = [100, 150, 200];
const HEADROOM_TARGET_RATE = 200;
const PORT = Number(process.env.BENCH_PORT || 3400);
const DIST_DIR = process.env.BENCH_DIST_DIR || ".next-bench";
const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const system: Actor = { kind: "system", label: "bench" };

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString("en")} MiB`;

function log(line: string) {
  process.stdout.write(`[bench] ${line}\n`);
}

/**
 * The benchmark's database: made afresh and dropped at the end, or — with BENCH_REUSE_DB=1 — kept, and
 * reused by the next run with the same name when it already holds the fleet (the ceiling's 1,000,000
 * devices take over 20 minutes to seed; the seed time is kept in the database's comment and reported).
 */
async function benchDatabase(): Promise<{ url: string; reusedSeedSeconds: number | null; drop: () => Promise<void> }> {
  const name = process.env.BENCH_DATABASE_NAME || "rollcall_bench";
  if (process.env.BENCH_REUSE_DB === "1") {
    const [kept] = await withAdminClient(adminUrl, async (admin) =>
      (await admin.query<{ comment: string | null }>("select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1", [name])).rows,
    );
    const seeded = /^rollcall bench: (\d+) devices seeded in (\d+(?:\.\d+)?) s$/.exec(kept?.comment ?? "");
    const keep = async () => {};
    if (seeded && Number(seeded[1]) === DEVICES) return { url: databaseUrl(adminUrl, name), reusedSeedSeconds: Number(seeded[2]), drop: keep };
    return { url: await recreateDatabase(adminUrl, name), reusedSeedSeconds: null, drop: keep };
  }
  return { url: await recreateDatabase(adminUrl, name), reusedSeedSeconds: null, drop: () => dropDatabase(adminUrl, name) };
}

/** Marks a kept database as holding `devices` seeded in `seconds` (BENCH_REUSE_DB=1). */
async function markSeeded(url: string, devices: number, seconds: number) {
  const name = new URL(url).pathname.slice(1);
  await withAdminClient(adminUrl, (admin) => admin.query(`comment on database ${name} is 'rollcall bench: ${devices} devices seeded in ${seconds.toFixed(0)} s'`));
}

function show(m: Measurement) {
  const rate = m.eventsPerSecond ? `, ${Math.round(m.eventsPerSecond).toLocaleString("en")} events/s` : "";
  log(`  ${m.name}: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, ${m.requests} requests, ${m.non2xx + m.errors} errors${rate}${m.ratio ? `, ${m.ratio.toFixed(1)}× floor` : ""}`);
}

async function main() {
  const started = Date.now();
  log(`profile: ${profile}, ${DEVICES.toLocaleString("en")} devices × 10 updates on PostgreSQL${ceiling ? "" : `, then ${PGLITE_DEVICES.toLocaleString("en")} on PGlite`}`);
  const database = await benchDatabase();
  let server: BenchServer | undefined;
  let handle: DbHandle | undefined;
  const measurements: Measurement[] = [];
  const notes: string[] = [];
  const record = (...rows: Measurement[]) => {
    rows.forEach(show);
    measurements.push(...rows);
  };
  let report: BenchReport | undefined;
  try {
    handle = openPostgres(database.url, { max: 4, applicationName: "rollcall-bench" });
    useDbHandle(handle);
    await migrateDatabase(handle);
    let logins: { role: string; email: string; password: string }[];
    let seedSeconds: number;
    if (database.reusedSeedSeconds !== null) {
      logins = [await resetViewerPassword(handle.db)];
      seedSeconds = database.reusedSeedSeconds;
      notes.push(`the database was seeded by an earlier run with BENCH_REUSE_DB=1 (seed time from that run) and reused`);
      log(`reusing the database seeded earlier in ${seedSeconds.toFixed(0)} s`);
    } else {
      ({ logins } = await seedDemo(handle.db));
      const seedStarted = Date.now();
      await seedScaleWithProgress(handle.db, DEVICES, log);
      seedSeconds = (Date.now() - seedStarted) / 1000;
      if (process.env.BENCH_REUSE_DB === "1") await markSeeded(database.url, DEVICES, seedSeconds);
    }
    if (process.env.BENCH_SEED_ONLY === "1") {
      // Seed now, measure in a later run (BENCH_REUSE_DB=1 keeps the database).
      await handle.db.execute(sql`vacuum analyze`);
      log(`seeded in ${seedSeconds.toFixed(0)} s; BENCH_SEED_ONLY=1: not measuring`);
      await handle.close();
      process.exit(0);
    }
    const [counts] = await queryRows<{ devices: number; deployments: number; events: number }>(
      handle.db,
      sql`select (select count(*)::int from devices) as devices, (select count(*)::int from deployments) as deployments,
                 (select count(*)::int from status_events) as events`,
    );
    log(`seeded in ${seedSeconds.toFixed(0)} s: ${counts.devices} devices, ${counts.deployments} deployments, ${counts.events} status events`);
    await handle.db.execute(sql`vacuum analyze`);
    const [settings] = await queryRows<{ version: string; shared_buffers: string; synchronous_commit: string }>(
      handle.db,
      sql`select current_setting('server_version') as version, current_setting('shared_buffers') as shared_buffers, current_setting('synchronous_commit') as synchronous_commit`,
    );
    notes.push(`PostgreSQL ${settings.version} as installed (shared_buffers ${settings.shared_buffers}, synchronous_commit ${settings.synchronous_commit}: every acknowledged batch is on disk)`);

    const token = await createApiToken(system, { name: "bench", scopes: ["read", "ingest"] });
    const tokenActor = (await resolveApiToken(token.token))!;
    const [rollout] = await queryRows<{ id: number }>(handle.db, sql`select id from rollouts order by id desc limit 1`);
    const [device] = await queryRows<{ id: number; hostname: string }>(handle.db, sql`select id, hostname from devices where hostname like 'SCALE-%' order by id limit 1 offset 1234`);
    const [update] = await queryRows<{ slug: string }>(handle.db, sql`select u.slug from updates u join rollouts r on r.update_id = u.id where r.id = ${rollout.id}`);

    // A known issue of the benchmarked update naming the app most machines have, so the rollout
    // page's impact analysis matches most of its deployments (counted at most every 30 s per process).
    const [common] = await queryRows<{ name: string; devices: number }>(
      handle.db,
      sql`select a.name, count(*)::int as devices from device_apps da join apps a on a.id = da.app_id group by a.name order by 2 desc, 1 limit 1`,
    );
    await createKnownIssue(system, { title: `${common.name} misbehaves after ${update.slug}`, update: update.slug, severity: "high", affectedApps: [{ name: common.name, versionRange: "*" }] });
    notes.push(`the rollout page's impact analysis counts a known issue naming ${common.name}, installed on ${common.devices.toLocaleString("en")} devices (recounted at most every ${IMPACT_MAX_AGE_MS / 1000} s per server process)`);

    // BENCH_SKIP_BUILD=1 reuses the build already in the dist dir (a rerun of the same commit).
    if (process.env.BENCH_SKIP_BUILD === "1") log(`using the existing build in ${DIST_DIR}`);
    else {
      log("building the production server");
      buildServer(root, DIST_DIR);
    }
    server = await startServer({ root, distDir: DIST_DIR, port: PORT, env: { DATABASE_URL: database.url, DATABASE_POOL_MAX: "10" } });
    const processes = readServerEnv({ ...process.env, DATABASE_URL: database.url }).workers;
    notes.push(`the server under test ran ${processes} process${processes === 1 ? "" : "es"} (WEB_CONCURRENCY${process.env.WEB_CONCURRENCY ? `=${process.env.WEB_CONCURRENCY}` : ": the default on PostgreSQL"}), each with up to 10 database connections`);
    const base = server.base;
    const viewer = logins.find((l) => l.role === "viewer")!;
    const auth = { cookie: await signIn(base, viewer.email, viewer.password) };
    const bearer = { authorization: `Bearer ${token.token}` };

    // Floors: a trivial route through the whole Next.js stack, and each page's reads straight from the DAL.
    log("pages");
    const trivial = await loadAtRate({ url: `${base}/api/health`, rate: RATE, seconds: SECONDS });
    record(measurement("trivial route GET /api/health (floor)", trivial, null));
    const floors = {
      overview: await timeRuns(() => getOverview(system), 100),
      rollout: await timeRuns(
        () => Promise.all([getRolloutDetail(system, rollout.id), mediaStatusForRollout(system, rollout.id), getRolloutDashboard(system, rollout.id), countedImpactForRollout(system, rollout.id)]),
        50,
      ),
      device: await timeRuns(async () => knownIssuesForDevice(system, (await getDevice(system, device.hostname)).id), 100),
      update: await timeRuns(() => Promise.all([getUpdate(system, update.slug), getUpdateDashboard(system, update.slug)]), 50),
    };
    const pages = [
      { name: "overview page /", path: "/", floor: floors.overview, target: "p95 < 150 ms at 50 req/s" },
      { name: `rollout page /rollouts/${rollout.id}`, path: `/rollouts/${rollout.id}`, floor: floors.rollout, target: "p95 < 150 ms at 50 req/s" },
      { name: `device page /devices/${device.hostname}`, path: `/devices/${device.hostname}`, floor: floors.device },
      { name: `update page /updates/${update.slug}`, path: `/updates/${update.slug}`, floor: floors.update },
    ];
    /** One page under load after its warm-up, recorded as a row named `name`. */
    const loadPage = async (p: (typeof pages)[number], name: string, options: { rate?: number; seconds?: number; arrivals?: Arrivals; target?: string } = {}) => {
      const url = `${base}${p.path}`;
      await warmUp(url, auth);
      const result = await loadAtRate({ url, rate: options.rate ?? RATE, seconds: options.seconds ?? SECONDS, headers: auth, arrivals: options.arrivals });
      record(measurement(name, result, p.floor, options.target));
      return result;
    };
    // At the ceiling every page has the same target as at 100,000 devices.
    for (const p of pages) await loadPage(p, p.name, { target: ceiling ? "p95 < 150 ms at 50 req/s" : p.target });
    if (!ceiling) {
      // The same two pages with Poisson arrivals at the same average rate: independent users, so
      // requests sometimes bunch up and queue behind each other.
      for (const p of pages.slice(0, 2)) await loadPage(p, `${p.name}, Poisson arrivals`, { arrivals: "poisson", target: p.target });

      // Headroom: the same two pages at higher rates, up to 200 req/s (target: p95 < 500 ms there),
      // stopping at the first rate whose p95 reaches 500 ms.
      log("headroom");
      for (const p of pages.slice(0, 2)) {
        for (const rate of HEADROOM_RATES) {
          const target = rate === HEADROOM_TARGET_RATE ? `p95 < 500 ms at ${rate} req/s` : undefined;
          const result = await loadPage(p, `${p.name} at ${rate} req/s (headroom)`, { rate, seconds: quick ? 4 : 8, target });
          if (result.p95 >= 500 || result.errors || result.non2xx) break;
        }
      }
      notes.push(
        `headroom rows: the overview and rollout pages at ${HEADROOM_RATES.join(", ")} requests/s, ${quick ? 4 : 8} s each, stopping after the first rate whose p95 reached 500 ms; ` +
          `the pages' data is one shared read per second per server process (lib/cache/page-data.ts), the rest of each view (session check, rendering) is per request`,
      );
    }
    notes.push(`page floors are the page's own data-access calls in the benchmark process (p95): overview ${floors.overview.p95.toFixed(1)} ms, rollout ${floors.rollout.p95.toFixed(1)} ms, device ${floors.device.p95.toFixed(1)} ms, update ${floors.update.p95.toFixed(1)} ms`);

    log("search");
    const search = await measureSearch({ db: handle.db, base, headers: bearer, seconds: SECONDS, rate: RATE });
    record(...search.measurements);
    notes.push(...search.notes);

    log("CSV export");
    const csvStarted = performance.now();
    const memory = sampleRss(server.process.pid);
    const csvRes = await fetch(`${base}/api/v1/rollouts/${rollout.id}/devices.csv`, { headers: bearer });
    let csvRows = 0;
    if (csvRes.ok && csvRes.body) {
      const reader = csvRes.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const byte of value) if (byte === 10) csvRows++;
      }
      const rss = memory.stop();
      notes.push(
        `CSV export of rollout ${rollout.id}: ${csvRows.toLocaleString("en")} lines in ${((performance.now() - csvStarted) / 1000).toFixed(2)} s, streamed; ` +
          `the server's resident memory ${mib(rss.before)} before, at most ${mib(rss.peak)} during it (+${mib(rss.peak - rss.before)})`,
      );
    } else {
      memory.stop();
      notes.push(`CSV export: not measured (GET /api/v1/rollouts/{id}/devices.csv answered ${csvRes.status})`);
    }

    if (!ceiling) {
      log("ingest");
      const ingest = await measureIngest(handle, base, bearer, tokenActor);
      record(...ingest.measurements);
      notes.push(...ingest.notes);

      log("outbox: wave actions and ingest with and without outbox rows, delivery lag");
      const outbox = await measureOutbox({ db: handle.db, actor: system, quick, log });
      record(...outbox.measurements);
      notes.push(...outbox.notes);

      // The same two pages once ingest has rewritten a quarter of the deployments (dead row versions,
      // summary rows updated many times over), with no VACUUM in between: what managers see mid-rollout.
      log("pages after ingest");
      const [{ events: eventsNow }] = await queryRows<{ events: number }>(handle.db, sql`select count(*)::int as events from status_events`);
      const ingested = (eventsNow - counts.events).toLocaleString("en");
      for (const p of pages.slice(0, 2)) await loadPage(p, `${p.name}, after ${ingested} more events were ingested`, { target: p.target });
    }

    log("verify-summaries and the database's size");
    const verifyStarted = performance.now();
    const verified = await verifySummaries(handle.db);
    notes.push(
      `rollcall db verify-summaries (every summary row against a GROUP BY over the deployments): ${((performance.now() - verifyStarted) / 1000).toFixed(1)} s, ` +
        `${driftCount(verified) === 0 ? "no drift" : `${driftCount(verified)} drifting rows`}`,
    );
    const [{ bytes }] = await queryRows<{ bytes: string }>(handle.db, sql`select pg_database_size(current_database())::text as bytes`);
    notes.push(`database size: ${(Number(bytes) / 2 ** 30).toFixed(2)} GiB (${counts.devices.toLocaleString("en")} devices, seeded at ${Math.round(counts.devices / seedSeconds).toLocaleString("en")} devices/s)`);

    let lighthouse: BenchReport["lighthouse"];
    if (ceiling) {
      notes.push("ceiling profile: PostgreSQL only; no headroom, ingest, Lighthouse or embedded-database rows (the full profile has them at 100,000 devices)");
    } else {
      log("Lighthouse on the overview");
      try {
        const lh = await measureLighthouse({ base, cookie: auth.cookie, path: "/", runs: quick ? 1 : 3 });
        lighthouse = lh.measurements;
        notes.push(...lh.notes);
      } catch (error) {
        notes.push(`Lighthouse: not measured (${error instanceof Error ? error.message : String(error)})`);
      }
    }

    await server.stop();
    server = undefined;
    await handle.close();
    handle = undefined;

    if (!ceiling) {
      log("PGlite profile");
      const pglite = await measurePgliteProfile({ root, distDir: DIST_DIR, port: PORT + 1, devices: PGLITE_DEVICES, batches: quick ? 10 : 30, log });
      record(...pglite.measurements);
      notes.push(...pglite.notes);
    }

    report = {
      date: new Date().toISOString(),
      profile,
      machine: { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      dataset: { ...counts, seedSeconds },
      rate: RATE,
      seconds: SECONDS,
      measurements,
      notes,
      durationSeconds: (Date.now() - started) / 1000,
      lighthouse,
    };
  } finally {
    await server?.stop();
    await handle?.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
  }
  log("summary");
  report.measurements.forEach(show);
  for (const n of report.notes) log(n);
  for (const l of report.lighthouse ?? []) log(`${l.name}: ${l.value.toFixed(l.unit === "ms" ? 0 : 3)}${l.unit} (target ${l.target}) ${l.met ? "met" : "NOT met"}`);
  const doc = writePerformanceReport(root, report);
  log(`wrote ${doc} and bench/results/ in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Two seconds of the load, not recorded: JIT and caches reach their steady state before the measured window. */
/**
 * Before a page is measured: views one at a time (each may wait for the slow counts a server process reads
 * once and then recounts behind the last count, seconds at 1,000,000 devices) until four in a row answer
 * within a second, so both server processes hold them; then 2 s at the measured rate.
 */
async function warmUp(url: string, headers: Record<string, string>) {
  for (let fast = 0, tries = 0; fast < 4 && tries < 40; tries++) {
    const started = performance.now();
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(120_000) }).catch(() => null);
    await response?.text().catch(() => "");
    fast = response?.ok && performance.now() - started < 1_000 ? fast + 1 : 0;
  }
  await loadAtRate({ url, rate: RATE, seconds: 2, headers });
}

/**
 * Ingest of random devices × updates in batches of 1,000 and 100, with the floors measured on the
 * same database in the same run: the raw set-based SQL (history insert + last-writer-wins upsert,
 * nothing else) and the DAL in this process (everything but HTTP and the Next.js router).
 */
async function measureIngest(handle: DbHandle, base: string, headers: Record<string, string>, actor: Actor) {
  const notes: string[] = [];
  const measurements: Measurement[] = [];
  const fleet = await loadFleet(handle.db);
  const generate = makeGenerator(fleet, "bench");
  const CONCURRENCY = 2;
  for (const size of [1000, 100]) {
    const count = size === 1000 ? (quick ? 20 : 60) : quick ? 100 : 300;
    const batches = () => Array.from({ length: count }, () => generate(size));
    const raw = await drive(batches(), CONCURRENCY, throughRawSql(handle.db));
    const dal = await drive(batches(), CONCURRENCY, throughDal(handle.db, actor));
    const post = postOverHttp(base, headers);
    await post(generate(size));
    const http: Throughput = await drive(batches(), CONCURRENCY, post);
    measurements.push(throughputRow(`ingest: raw SQL floor, batches of ${size}`, raw, null));
    measurements.push(throughputRow(`ingest: DAL in-process, batches of ${size}`, dal, raw));
    measurements.push(throughputRow(`ingest: HTTP POST /api/v1/status-events, batches of ${size}`, http, raw, "≥ 60 % of the floor"));
    const fmt = (t: Throughput) => Math.round(t.eventsPerSecond).toLocaleString("en");
    notes.push(
      `ingest, batches of ${size}, ${CONCURRENCY} in flight: HTTP ${fmt(http)} events/s, DAL ${fmt(dal)}, raw SQL floor ${fmt(raw)} ` +
        `(HTTP = ${((http.eventsPerSecond / raw.eventsPerSecond) * 100).toFixed(0)} % of the floor; target ≥ 60 %; ${http.failures} failed batches)`,
    );
  }
  return { notes, measurements };
}

main().catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
