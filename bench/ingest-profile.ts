// Where the time of one ingest batch goes, on PostgreSQL (issue #20 item 4):
//   node --conditions=react-server --import tsx bench/ingest-profile.ts [--devices 100000] [--batches 20] [--reuse] [--keep]
// Seeds its own database (rollcall_ingestsql_profile; BENCH_DATABASE_URL names the server, default
// 127.0.0.1) with the demo and seedScale like `npm run bench`, then, against the raw-SQL floor
// (history insert + last-writer-wins upsert) and the DAL (ingestStatusEvents):
//   1. one batch at a time: wall time, Node CPU time, every round trip (statement, time from send to
//      answer), JS time (wall − round trips), WAL bytes per batch (pg_current_wal_lsn before/after),
//      rows updated and how many of them were HOT (pg_stat_user_tables);
//   2. each statement of one batch under auto_explain (ANALYZE, BUFFERS, WAL), plans written to
//      bench/results/ingest-profile-plans.txt;
//   3. two batches in flight (as `npm run bench` posts them): throughput and how often a backend
//      of the run waited for a lock.
// --reuse keeps an already seeded database (the numbers then include the earlier runs' bloat);
// --keep leaves the database for the next --reuse. Writes bench/results/ingest-profile.json.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { sql } from "drizzle-orm";
import { databaseUrl, dropDatabase, recreateDatabase, withAdminClient } from "@/db/admin";
import { openPostgres, queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/lib/seed/demo";
import { seedScale } from "@/lib/seed/scale";
import type { Actor } from "@/lib/auth/actor";
import { createApiToken, resolveApiToken } from "@/lib/auth/tokens";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { validateEvents } from "@/lib/deployments/ingest-model";
import { driftCount, recomputeSummaries, verifySummaries } from "@/lib/deployments/summaries";
import { loadFleet, makeGenerator, rawBatch, type Generated } from "./ingest-events";
import { drive } from "./ingest-http";

const { values } = parseArgs({
  options: {
    devices: { type: "string", default: "100000" },
    batches: { type: "string", default: "20" },
    reuse: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
  strict: true,
});
const DEVICES = Number(values.devices);
const BATCHES = Number(values.batches);
const NAME = "rollcall_ingestsql_profile";
const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const fmt = (n: number, digits = 0) => n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

// ---------------------------------------------------------------- round trips, as the pg driver sends them

type Trip = { label: string; ms: number };
const recorder: { on: boolean; trips: Trip[] } = { on: false, trips: [] };

/** A short name for a statement of the batch (the first words of its text). */
function labelOf(text: string): string {
  const t = text.replace(/\s+/g, " ").trim().toLowerCase();
  const known: Array<[RegExp, string]> = [
    [/^begin/, "begin"],
    [/^commit/, "commit"],
    [/^rollback/, "rollback"],
    [/^select 'd' as kind/, "devices + updates lookup"],
    [/^select 'b' as kind/, "builds lookup"],
    [/^with lookup as/, "devices + updates + builds lookup"],
    [/^insert into status_events .* on conflict \(source, event_id\) do nothing/, "history insert"],
    [/^insert into status_events/, "history insert (floor)"],
    [/^insert into deployments as d/, "deployments upsert (floor)"],
    [/^with input as/, "create or lock deployments"],
    [/^with history as/, "history insert + create or lock deployments"],
    [/^with w0 as/, "deployments + summaries + devices + audit"],
    [/from "waves" .* for update/, "gates: lock waves"],
    [/from "deployment_counts"/, "gates: wave counts"],
    [/known_issues/, "gates: blocking issues"],
  ];
  for (const [re, label] of known) if (re.test(t)) return label;
  return t.slice(0, 60);
}

type QueryFn = (...args: unknown[]) => unknown;
const originalQuery = pg.Client.prototype.query as unknown as QueryFn;
(pg.Client.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
  const [config, , callback] = args;
  const isSubmittable = typeof (config as { submit?: unknown })?.submit === "function";
  if (!recorder.on || isSubmittable || typeof callback === "function" || typeof args[1] === "function") return originalQuery.apply(this, args);
  const text = typeof config === "string" ? config : ((config as { text?: string })?.text ?? "");
  const started = performance.now();
  const result = originalQuery.apply(this, args) as Promise<unknown>;
  return result.then((value) => {
    recorder.trips.push({ label: labelOf(text), ms: performance.now() - started });
    return value;
  });
};

// ---------------------------------------------------------------- database

async function openProfileDatabase(): Promise<DbHandle> {
  const url = databaseUrl(adminUrl, NAME);
  if (values.reuse) {
    const exists = await withAdminClient(adminUrl, async (admin) => (await admin.query("select 1 from pg_database where datname = $1", [NAME])).rowCount === 1);
    if (exists) {
      const handle = openPostgres(url, { max: 4, applicationName: "rollcall-ingest-profile" });
      const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from devices where hostname like 'SCALE-%'`);
      if (n >= DEVICES) {
        console.log(`reusing ${NAME}: ${fmt(n)} scale devices`);
        return handle;
      }
      await handle.close();
    }
  }
  await recreateDatabase(adminUrl, NAME);
  const handle = openPostgres(url, { max: 4, applicationName: "rollcall-ingest-profile" });
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  const t0 = Date.now();
  await seedScale(handle.db, DEVICES, { onProgress: (done, total) => process.stderr.write(`\r  seeding ${fmt(done)} / ${fmt(total)} devices`) });
  process.stderr.write("\n");
  console.log(`seeded ${fmt(DEVICES)} devices × 10 updates in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await handle.db.execute(sql`vacuum analyze`);
  return handle;
}

type TableStats = { relname: string; n_tup_ins: number; n_tup_upd: number; n_tup_hot_upd: number };
const TABLES = ["status_events", "deployments", "devices", "deployment_counts", "wave_signal_counts", "adoption_daily", "audit_entries"];

async function tableStats(admin: pg.Client): Promise<Map<string, TableStats>> {
  // Statistics reach the shared counters when a backend goes idle (at most once a second).
  await admin.query("select pg_sleep(1.2)");
  await admin.query("select pg_stat_clear_snapshot()");
  const { rows } = await admin.query<TableStats>(
    "select relname, n_tup_ins::float8 as n_tup_ins, n_tup_upd::float8 as n_tup_upd, n_tup_hot_upd::float8 as n_tup_hot_upd from pg_stat_user_tables where relname = any($1)",
    [TABLES],
  );
  return new Map(rows.map((r) => [r.relname, r]));
}

async function walLsn(admin: pg.Client): Promise<string> {
  const { rows } = await admin.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn");
  return rows[0].lsn;
}

async function walBytes(admin: pg.Client, from: string, to: string): Promise<number> {
  const { rows } = await admin.query<{ bytes: number }>("select pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::float8 as bytes", [to, from]);
  return rows[0].bytes;
}

// ---------------------------------------------------------------- 1. one batch at a time

type PathResult = {
  path: string;
  batch: number;
  batches: number;
  eventsPerSecond: number;
  wallMsPerBatch: number;
  cpuMsPerBatch: number;
  roundTripsPerBatch: number;
  dbMsPerBatch: number;
  jsMsPerBatch: number;
  validationMsPerBatch: number;
  walBytesPerBatch: number;
  statements: Array<{ label: string; perBatch: number; msPerBatch: number }>;
  tables: Array<{ table: string; insertedPerBatch: number; updatedPerBatch: number; hotPct: number | null }>;
};

async function sequential(admin: pg.Client, label: string, size: number, batches: Generated[], run: (b: Generated) => Promise<void>): Promise<PathResult> {
  const before = await tableStats(admin);
  let wall = 0;
  let cpu = 0;
  let wal = 0;
  let validation = 0;
  const trips: Trip[] = [];
  for (const batch of batches) {
    const lsn = await walLsn(admin);
    const v0 = performance.now();
    if (label !== "raw SQL floor") validateEvents(batch.map((e) => e.wire));
    validation += performance.now() - v0;
    recorder.trips = [];
    recorder.on = true;
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await run(batch);
    wall += performance.now() - w0;
    const c = process.cpuUsage(c0);
    recorder.on = false;
    cpu += (c.user + c.system) / 1000;
    trips.push(...recorder.trips);
    wal += await walBytes(admin, lsn, await walLsn(admin));
  }
  const after = await tableStats(admin);
  const n = batches.length;
  const byLabel = new Map<string, { count: number; ms: number }>();
  for (const t of trips) {
    const entry = byLabel.get(t.label) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += t.ms;
    byLabel.set(t.label, entry);
  }
  const dbMs = trips.reduce((s, t) => s + t.ms, 0);
  const tables = TABLES.map((table) => {
    const a = after.get(table);
    const b = before.get(table);
    const updated = (a?.n_tup_upd ?? 0) - (b?.n_tup_upd ?? 0);
    const hot = (a?.n_tup_hot_upd ?? 0) - (b?.n_tup_hot_upd ?? 0);
    return { table, insertedPerBatch: ((a?.n_tup_ins ?? 0) - (b?.n_tup_ins ?? 0)) / n, updatedPerBatch: updated / n, hotPct: updated ? (hot / updated) * 100 : null };
  }).filter((t) => t.insertedPerBatch || t.updatedPerBatch);
  return {
    path: label,
    batch: size,
    batches: n,
    eventsPerSecond: (n * size) / (wall / 1000),
    wallMsPerBatch: wall / n,
    // The validation is timed apart (it also runs inside ingestStatusEvents, within the wall time).
    validationMsPerBatch: label === "raw SQL floor" ? 0 : validation / n,
    cpuMsPerBatch: cpu / n,
    roundTripsPerBatch: trips.length / n,
    dbMsPerBatch: dbMs / n,
    jsMsPerBatch: (wall - dbMs) / n,
    walBytesPerBatch: wal / n,
    statements: [...byLabel.entries()].map(([l, e]) => ({ label: l, perBatch: e.count / n, msPerBatch: e.ms / n })),
    tables,
  };
}

function printPath(r: PathResult) {
  console.log(
    `\n${r.path}, batches of ${fmt(r.batch)} (${r.batches} one at a time): ${fmt(r.eventsPerSecond)} events/s; per batch ${fmt(r.wallMsPerBatch, 1)} ms wall, ` +
      `${fmt(r.cpuMsPerBatch, 1)} ms Node CPU, ${fmt(r.roundTripsPerBatch, 1)} round trips = ${fmt(r.dbMsPerBatch, 1)} ms, JS between them ${fmt(r.jsMsPerBatch, 1)} ms ` +
      `(validation ${fmt(r.validationMsPerBatch, 1)} ms), WAL ${fmt(r.walBytesPerBatch / 1024)} KiB`,
  );
  for (const s of r.statements) console.log(`  ${s.label.padEnd(48)} ×${fmt(s.perBatch, 1).padStart(4)} ${fmt(s.msPerBatch, 2).padStart(8)} ms`);
  for (const t of r.tables)
    console.log(`  table ${t.table.padEnd(20)} +${fmt(t.insertedPerBatch).padStart(5)} rows, ${fmt(t.updatedPerBatch).padStart(5)} updated${t.hotPct === null ? "" : ` (${fmt(t.hotPct)} % HOT)`}`);
}

// ---------------------------------------------------------------- 2. each statement under auto_explain

async function explainOneBatch(url: string, actor: Actor, batches: { floor: Generated; dal: Generated }): Promise<string> {
  const notices: string[] = [];
  const handle = openPostgres(url, { max: 1, applicationName: "rollcall-ingest-profile-explain" });
  const client = await handle.pool!.connect();
  try {
    await client.query("load 'auto_explain'");
    for (const setting of [
      "auto_explain.log_min_duration = 0",
      "auto_explain.log_analyze = on",
      "auto_explain.log_buffers = on",
      "auto_explain.log_wal = on",
      "auto_explain.log_timing = on",
      "auto_explain.log_nested_statements = off",
      "auto_explain.log_level = notice",
    ])
      await client.query(`set ${setting}`);
    client.on("notice", (msg) => notices.push(msg.message ?? ""));
  } finally {
    client.release();
  }
  const out: string[] = [];
  notices.length = 0;
  await rawBatch(handle.db, batches.floor);
  out.push("==================== raw SQL floor, one batch", ...notices);
  notices.length = 0;
  await ingestStatusEvents(actor, batches.dal.map((e) => e.wire), { db: handle.db });
  out.push("==================== DAL, one batch", ...notices);
  await handle.close();
  return out.join("\n\n");
}

/** The first line (duration) and the statement's own Buffers and WAL lines of each auto_explain plan. */
function summarisePlans(text: string): string[] {
  const lines: string[] = [];
  for (const block of text.split(/\n\n/)) {
    if (block.startsWith("=====")) {
      lines.push(block);
      continue;
    }
    const duration = /duration: ([\d.]+) ms/.exec(block)?.[1];
    const query = /Query Text: ([\s\S]*?)\n/.exec(block)?.[1] ?? "";
    const planLines = block.split("\n");
    const first = planLines.findIndex((l) => /->|^\S.*\(cost=|^\s*\w.*\(actual/.test(l) && !l.includes("Query Text"));
    const tail = planLines.slice(first);
    const buffers = tail.find((l) => /^\s*Buffers:/.test(l))?.trim() ?? "";
    const wal = tail.find((l) => /^\s*WAL:/.test(l))?.trim() ?? "";
    lines.push(`  ${labelOf(query).padEnd(48)} ${String(duration ?? "?").padStart(9)} ms  ${buffers}  ${wal}`);
  }
  return lines;
}

// ---------------------------------------------------------------- 3. two batches in flight

async function lockWaitSampler(admin: pg.Client) {
  let samples = 0;
  let waiting = 0;
  let stop = false;
  const done = (async () => {
    while (!stop) {
      const { rows } = await admin.query<{ n: number; w: number }>(
        `select count(*)::int as n, count(*) filter (where wait_event_type = 'Lock')::int as w
         from pg_stat_activity where datname = $1 and application_name = 'rollcall-ingest-profile' and state = 'active'`,
        [NAME],
      );
      samples += rows[0].n;
      waiting += rows[0].w;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return async () => {
    stop = true;
    await done;
    return samples ? (waiting / samples) * 100 : 0;
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const handle = await openProfileDatabase();
  useDbHandle(handle);
  const admin = new pg.Client({ connectionString: databaseUrl(adminUrl, NAME), application_name: "rollcall-ingest-profile-admin" });
  await admin.connect();
  const results: Record<string, unknown> = { at: new Date().toISOString(), devices: DEVICES };
  try {
    const { rows: settings } = await admin.query(
      "select current_setting('server_version') as version, current_setting('shared_buffers') as shared_buffers, current_setting('synchronous_commit') as synchronous_commit, current_setting('full_page_writes') as fpw, current_setting('max_wal_size') as max_wal_size",
    );
    console.log(`PostgreSQL ${settings[0].version}, shared_buffers ${settings[0].shared_buffers}, synchronous_commit ${settings[0].synchronous_commit}, full_page_writes ${settings[0].fpw}, max_wal_size ${settings[0].max_wal_size}`);
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    const { rows: indexes } = await admin.query<{ table: string; index: string; def: string }>(
      `select tablename as table, indexname as index, indexdef as def from pg_indexes where tablename = any($1) order by 1, 2`,
      [TABLES],
    );
    results.indexes = indexes;
    console.log("\nindexes an insert or non-HOT update of these tables maintains:");
    for (const i of indexes) console.log(`  ${i.table.padEnd(20)} ${i.def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON public\.\S+ USING /, "$1")}`);

    const fleet = await loadFleet(handle.db);
    const created = await createApiToken({ kind: "system", label: "bench" }, { name: `ingest-profile-${Date.now()}`, scopes: ["ingest"] });
    const actor: Actor = (await resolveApiToken(created.token))!;
    const run = `${Date.now().toString(36)}`;
    // Labels of different lengths: the generator seeds its device sequence from the label's length.
    const floorGen = makeGenerator(fleet, `floor-${run}`);
    const dalGen = makeGenerator(fleet, `dal-${run}`);
    const viaDal = async (b: Generated) => {
      await ingestStatusEvents(actor, b.map((e) => e.wire), { db: handle.db });
    };
    const viaFloor = (b: Generated) => rawBatch(handle.db, b);

    // Warm-up: plans, caches, and the gates' first verdicts (the scale fleet's waves halt on random events).
    for (let i = 0; i < 5; i++) await viaFloor(floorGen(1000));
    await handle.db.transaction((tx) => recomputeSummaries(tx));
    for (let i = 0; i < 10; i++) await viaDal(dalGen(1000));

    const paths: PathResult[] = [];
    for (const size of [1000, 100]) {
      const n = size === 1000 ? BATCHES : BATCHES * 3;
      paths.push(await sequential(admin, "raw SQL floor", size, Array.from({ length: n }, () => floorGen(size)), viaFloor));
      // The floor skips the summaries; rebuild them so the DAL keeps them exact from here.
      await handle.db.transaction((tx) => recomputeSummaries(tx));
      paths.push(await sequential(admin, "DAL", size, Array.from({ length: n }, () => dalGen(size)), viaDal));
    }
    paths.forEach(printPath);
    results.sequential = paths;

    const plans = await explainOneBatch(databaseUrl(adminUrl, NAME), actor, { floor: floorGen(1000), dal: dalGen(1000) });
    await handle.db.transaction((tx) => recomputeSummaries(tx));
    const out = path.join(import.meta.dirname, "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "ingest-profile-plans.txt"), plans + "\n");
    const summary = summarisePlans(plans);
    console.log("\nauto_explain (ANALYZE, BUFFERS, WAL), one batch of 1,000 (plans in bench/results/ingest-profile-plans.txt):");
    summary.forEach((l) => console.log(l));
    results.explain = summary;

    const inFlight: Array<Record<string, unknown>> = [];
    for (const size of [1000, 100]) {
      const n = size === 1000 ? BATCHES * 2 : BATCHES * 6;
      const stopFloor = await lockWaitSampler(admin);
      const floor = await drive(Array.from({ length: n }, () => floorGen(size)), 2, async (b) => (await viaFloor(b), true));
      const floorWaits = await stopFloor();
      await handle.db.transaction((tx) => recomputeSummaries(tx));
      const stopDal = await lockWaitSampler(admin);
      const dal = await drive(Array.from({ length: n }, () => dalGen(size)), 2, async (b) => (await viaDal(b), true));
      const dalWaits = await stopDal();
      const row = { batch: size, floor: floor.eventsPerSecond, dal: dal.eventsPerSecond, ratio: dal.eventsPerSecond / floor.eventsPerSecond, floorLockWaitPct: floorWaits, dalLockWaitPct: dalWaits };
      inFlight.push(row);
      console.log(
        `\n2 in flight, batches of ${fmt(size)}: floor ${fmt(floor.eventsPerSecond)} events/s, DAL ${fmt(dal.eventsPerSecond)} (${fmt(row.ratio * 100)} %); ` +
          `active backends waiting for a lock: floor ${fmt(floorWaits)} %, DAL ${fmt(dalWaits)} % of samples`,
      );
    }
    results.twoInFlight = inFlight;

    const drift = driftCount(await verifySummaries(handle.db));
    console.log(`\nsummaries after the run: ${drift === 0 ? "exact (no drift)" : `${drift} drifting rows!`}`);
    if (drift) process.exitCode = 1;
    writeFileSync(path.join(out, "ingest-profile.json"), JSON.stringify(results, null, 2) + "\n");
    console.log("written to bench/results/ingest-profile.json");
  } finally {
    await admin.end();
    await handle.close();
    if (!values.keep) await dropDatabase(adminUrl, NAME);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
