// `node --conditions=react-server --import tsx bench/headroom.ts` (issue #20 item 2): only the pages
// and headroom part of `npm run bench`: the overview and the rollout page of a fleet on PostgreSQL,
// served by the production server (WEB_CONCURRENCY as `npm start` sets it), under open-loop load at
// each rate, with the CPU time the server's processes and PostgreSQL's backends spent per view in
// the same window and the machine's load average (it is shared: latencies depend on what else runs).
//
// Options: --rates 100,150,200 --seconds 8 --devices 100000 --pages overview,rollout
//          --cpu-prof DIR  also profile the server (one server per page, DIR/<page>/; summarise with
//                          node --import tsx bench/cpuprofile-summary.ts DIR/<page>)
// Environment: BENCH_DATABASE_NAME (rollcall_bench_headroom), BENCH_PORT, BENCH_DIST_DIR, BENCH_SKIP_BUILD=1
// (reuse the build), BENCH_HEADROOM_KEEP_DB=1 (keep the seeded database afterwards and reuse it when it
// already holds the fleet asked for: a rerun after a change to the pages skips the seed).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { databaseUrl, dropDatabase, recreateDatabase, withAdminClient } from "@/db/admin";
import { openPostgres, queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import type { Actor } from "@/lib/auth/actor";
import { createKnownIssue } from "@/lib/known-issues/actions";
import { seedDemo } from "@/lib/seed/demo";
import { resetViewerPassword, seedScaleWithProgress } from "./fleet";
import { loadAtRate, type LoadResult } from "./load";
import { cpuMs, monotonicUs, pgCpu } from "./proc-cpu";
import { buildServer, signIn, startServer, type BenchServer } from "./server";

const { values } = parseArgs({
  options: {
    rates: { type: "string", default: "100,150,200" },
    seconds: { type: "string", default: "8" },
    devices: { type: "string", default: process.env.BENCH_DEVICES || "100000" },
    pages: { type: "string", default: "overview,rollout" },
    "cpu-prof": { type: "string" },
  },
  strict: true,
});
const root = path.resolve(import.meta.dirname, "..");
const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const NAME = process.env.BENCH_DATABASE_NAME || "rollcall_bench_headroom";
const PORT = Number(process.env.BENCH_PORT || 3400);
const DIST_DIR = process.env.BENCH_DIST_DIR || ".next-bench";
const KEEP = process.env.BENCH_HEADROOM_KEEP_DB === "1";
const DEVICES = Number(values.devices);
const RATES = values.rates.split(",").map(Number);
const SECONDS = Number(values.seconds);
const system: Actor = { kind: "system", label: "bench" };

const load = () => os.loadavg()[0].toFixed(1);
function log(line: string) {
  process.stdout.write(`[headroom] ${line}\n`);
}

async function seededDevices(): Promise<number | null> {
  return withAdminClient(adminUrl, async (admin) => {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [NAME]);
    if (exists.rowCount === 0) return null;
    const handle = openPostgres(databaseUrl(adminUrl, NAME), { max: 1, applicationName: "rollcall-bench-headroom" });
    try {
      const [row] = await queryRows<{ devices: number }>(handle.db, sql`select count(*)::int as devices from devices where hostname like 'SCALE-%'`);
      return row.devices;
    } catch {
      return null;
    } finally {
      await handle.close();
    }
  });
}

/** The fleet `npm run bench` measures: the demo, DEVICES scale devices, and a known issue for the rollout page's impact analysis. */
async function seed(handle: DbHandle) {
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  await seedScaleWithProgress(handle.db, DEVICES, log);
  const [rollout] = await queryRows<{ id: number }>(handle.db, sql`select id from rollouts order by id desc limit 1`);
  const [update] = await queryRows<{ slug: string }>(handle.db, sql`select u.slug from updates u join rollouts r on r.update_id = u.id where r.id = ${rollout.id}`);
  const [common] = await queryRows<{ name: string }>(
    handle.db,
    sql`select a.name from device_apps da join apps a on a.id = da.app_id group by a.name order by count(*) desc, 1 limit 1`,
  );
  await createKnownIssue(system, { title: `${common.name} misbehaves after ${update.slug}`, update: update.slug, severity: "high", affectedApps: [{ name: common.name, versionRange: "*" }] });
  await handle.db.execute(sql`vacuum analyze`);
}

type Row = { page: string; rate: number; result: LoadResult; nodeMsPerView: number; pgMsPerView: number; loadBefore: string; loadAfter: string };

function show(row: Row) {
  const r = row.result;
  log(
    `${row.page} at ${row.rate} req/s: p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, ${r.requests} requests, ${r.non2xx + r.errors} errors; ` +
      `CPU per view: server ${row.nodeMsPerView.toFixed(1)} ms, PostgreSQL ${row.pgMsPerView.toFixed(1)} ms; load average ${row.loadBefore} → ${row.loadAfter}`,
  );
}

async function main() {
  const already = KEEP ? await seededDevices() : null;
  let url: string;
  if (already === DEVICES) {
    url = databaseUrl(adminUrl, NAME);
    log(`reusing ${NAME} (${DEVICES.toLocaleString("en")} scale devices)`);
  } else {
    url = await recreateDatabase(adminUrl, NAME);
  }
  const handle = openPostgres(url, { max: 2, applicationName: "rollcall-bench-headroom" });
  useDbHandle(handle);
  let server: BenchServer | undefined;
  const rows: Row[] = [];
  try {
    if (already !== DEVICES) {
      const t0 = Date.now();
      await seed(handle);
      log(`seeded ${DEVICES.toLocaleString("en")} devices in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    const login = await resetViewerPassword(handle.db);
    const [rollout] = await queryRows<{ id: number }>(handle.db, sql`select id from rollouts order by id desc limit 1`);
    const pages = [
      { slug: "overview", name: "overview page /", path: "/" },
      { slug: "rollout", name: `rollout page /rollouts/${rollout.id}`, path: `/rollouts/${rollout.id}` },
    ].filter((p) => values.pages.split(",").includes(p.slug));

    if (process.env.BENCH_SKIP_BUILD === "1") log(`using the existing build in ${DIST_DIR}`);
    else {
      log(`building the production server into ${DIST_DIR}`);
      buildServer(root, DIST_DIR);
    }
    const profileRoot = values["cpu-prof"] ? path.resolve(values["cpu-prof"]) : undefined;
    const start = (profileDir?: string) =>
      startServer({
        root,
        distDir: DIST_DIR,
        port: PORT,
        env: {
          DATABASE_URL: url,
          DATABASE_POOL_MAX: "10",
          ...(profileDir ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(root, "bench/cpu-prof-hook.cjs")}`.trim(), CPU_PROF_DIR: profileDir } : {}),
        },
      });

    for (const page of pages) {
      // With --cpu-prof each page gets its own server, whose processes write their profiles on exit.
      const profileDir = profileRoot ? path.join(profileRoot, page.slug) : undefined;
      if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
      if (!server || profileDir) server = await start(profileDir);
      const headers = { cookie: await signIn(server.base, login.email, login.password) };
      const target = `${server.base}${page.path}`;
      // Two seconds at 50 req/s, not recorded: JIT, plans and the shared reads reach their steady state.
      await loadAtRate({ url: target, rate: 50, seconds: 2, headers });
      let window: { fromUs: number; toUs: number; views: number } | undefined;
      for (const rate of RATES) {
        const loadBefore = load();
        const pg = pgCpu(NAME);
        const node0 = cpuMs([server.process.pid!]);
        const fromUs = monotonicUs();
        const result = await loadAtRate({ url: target, rate, seconds: SECONDS, headers });
        const toUs = monotonicUs();
        const nodeMs = cpuMs([server.process.pid!]) - node0;
        const pgMs = pg.stop();
        const row = { page: page.name, rate, result, nodeMsPerView: nodeMs / result.requests, pgMsPerView: pgMs / result.requests, loadBefore, loadAfter: load() };
        rows.push(row);
        show(row);
        window ??= { fromUs, toUs, views: result.requests };
        // Let the queue drain before the next rate, so one row's backlog does not land in the next.
        await new Promise((r) => setTimeout(r, 2_000));
      }
      if (profileDir) {
        await server.stop();
        server = undefined;
        // The first rate's window: cpuprofile-summary.ts counts only its samples, per view.
        fs.writeFileSync(path.join(profileDir, "window.json"), JSON.stringify(window));
        log(`profiles of ${page.slug} in ${profileDir} (the ${RATES[0]} req/s window)`);
      }
    }
  } finally {
    await server?.stop();
    await handle.close();
    if (!KEEP) await dropDatabase(adminUrl, NAME).catch(() => undefined);
  }
  log("summary");
  rows.forEach(show);
  log(`${os.cpus().length} cores; ${SECONDS} s per rate, open loop; the server's CPU is its whole process tree (every worker), PostgreSQL's its backends of ${NAME}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[headroom] failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
