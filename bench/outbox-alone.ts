// The outbox rows of `npm run bench` (bench/outbox.ts) alone, against a database of their own on a
// PostgreSQL server, without building or starting the web server: wave actions with and without
// outbox rows (and, besides their latency, the round trips each call makes and the CPU time of this
// process and of its database backends per call), the delivery lag, and ingest with and without.
//
//   node --conditions=react-server --import tsx bench/outbox-alone.ts [options]
//
// Options: --devices N       the scale seed (10000; the full bench seeds 100000)
//          --quick           the quick bench's counts (20 wave actions per mode) instead of 1,000
//          --reuse           keep the database between runs (seeded once; dropped only without it)
//          --no-ingest       wave actions and the delivery lag only
//          --other-dispatcher  also run a dispatcher in a second process on the same database, as
//                            the bench's web server does while the full bench measures these rows
// Environment: BENCH_DATABASE_URL (the server's maintenance database; default the local postgres),
//              BENCH_DATABASE_NAME (default rollcall_outbox_bench).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { databaseUrl, dropDatabase, recreateDatabase, withAdminClient } from "@/db/admin";
import { openPostgres, queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import type { Actor } from "@/lib/auth/actor";
import { startDispatcher } from "@/lib/outbox/dispatcher";
import { seedDemo } from "@/lib/seed/demo";
import { seedScale } from "@/lib/seed/scale";
import { measureOutbox, type OutboxProbes } from "./outbox";

const { values } = parseArgs({
  options: {
    devices: { type: "string", default: "10000" },
    quick: { type: "boolean", default: false },
    reuse: { type: "boolean", default: false },
    "no-ingest": { type: "boolean", default: false },
    "other-dispatcher": { type: "boolean", default: false },
    "dispatch-only": { type: "string" },
  },
  strict: true,
});

const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const NAME = process.env.BENCH_DATABASE_NAME || "rollcall_outbox_bench";
const APP = "rollcall-bench";
const OTHER_APP = "rollcall-other-dispatcher";
const system: Actor = { kind: "system", label: "bench" };
const log = (line: string) => process.stdout.write(`[outbox-alone] ${line}\n`);
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(" / ");

/** The second process: a dispatcher polling the database as a server process's does, until SIGTERM. */
async function dispatchOnly(url: string) {
  const handle = openPostgres(url, { max: 4, applicationName: OTHER_APP });
  const dispatcher = startDispatcher({ db: async () => handle.db, mail: null });
  const keepAlive = setInterval(() => undefined, 60_000);
  process.once("SIGTERM", () => {
    clearInterval(keepAlive);
    void dispatcher.stop().then(() => handle.close());
  });
}

const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim() || 100);

/** CPU time (user + system, ms) of a process on this machine, or null when it cannot be read. */
function cpuOfPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * Probes for bench/outbox.ts: statements this process sends (every pg query, BEGIN and COMMIT
 * included), and per block the CPU of the database backends serving this process (and of the
 * other dispatcher's process and backends), read from /proc (PostgreSQL on this machine).
 */
function probes(handle: DbHandle, other: ChildProcess | null): OutboxProbes {
  let statements = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const mine = new Map<number, number>();
  const theirs = new Map<number, number>();
  return {
    roundTrips: () => statements,
    perBlock: async () => {
      const out: Record<string, number> = {};
      const backends = await cpuOfBackends(handle, APP, mine);
      if (backends !== null) out.backendCpuMs = backends;
      if (other?.pid) {
        const child = cpuOfPid(other.pid);
        if (child !== null) out.otherDispatcherProcessCpuMs = child;
        const otherBackends = await cpuOfBackends(handle, OTHER_APP, theirs);
        if (otherBackends !== null) out.otherDispatcherBackendCpuMs = otherBackends;
      }
      return out;
    },
  };
}

/** The CPU (ms) the backends of `app` have used so far, remembering backends that have since closed (in `seen`). */
async function cpuOfBackends(handle: DbHandle, app: string, seen: Map<number, number>): Promise<number | null> {
  const rows = await queryRows<{ pid: number }>(handle.db, sql`select pid from pg_stat_activity where datname = current_database() and application_name = ${app}`);
  let readable = rows.length === 0;
  for (const { pid } of rows) {
    const cpu = cpuOfPid(pid);
    if (cpu === null) continue;
    readable = true;
    seen.set(pid, cpu);
  }
  if (!readable) return null;
  let sum = 0;
  for (const cpu of seen.values()) sum += cpu;
  return sum;
}

async function prepare(): Promise<{ url: string; seeded: boolean }> {
  const url = databaseUrl(adminUrl, NAME);
  if (values.reuse) {
    const exists = await withAdminClient(adminUrl, async (admin) => (await admin.query("select 1 from pg_database where datname = $1", [NAME])).rowCount === 1);
    if (exists) return { url, seeded: true };
  }
  return { url: await recreateDatabase(adminUrl, NAME), seeded: false };
}

async function main() {
  const devices = Number(values.devices);
  const started = Date.now();
  log(`load average at start (1 / 5 / 15 min): ${load()} on ${os.cpus().length} cores`);
  const { url, seeded } = await prepare();
  const handle = openPostgres(url, { max: 4, applicationName: APP });
  useDbHandle(handle);
  let other: ChildProcess | null = null;
  try {
    if (!seeded) {
      await migrateDatabase(handle);
      await seedDemo(handle.db);
      await seedScale(handle.db, devices);
      await handle.db.execute(sql`vacuum analyze`);
      log(`seeded ${devices.toLocaleString("en")} devices in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } else {
      // A reused database starts each run from the same state: nothing left to fan out, no webhook.
      await handle.db.execute(sql`update outbox_events set fanned_out_at = now() where fanned_out_at is null`);
      await handle.db.execute(sql`delete from webhooks`);
      await handle.db.execute(sql`vacuum analyze outbox_events, audit_entries, waves, rollouts`);
    }
    if (values["other-dispatcher"]) {
      other = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--dispatch-only", url], { stdio: ["ignore", "inherit", "inherit"] });
      log(`a second process (pid ${other.pid}) runs a dispatcher on the same database, polling every second`);
    }
    const result = await measureOutbox({ db: handle.db, actor: system, quick: values.quick, log, probes: probes(handle, other), ingest: !values["no-ingest"] });
    for (const m of result.measurements) {
      const rate = m.eventsPerSecond ? `, ${Math.round(m.eventsPerSecond).toLocaleString("en")} events/s` : "";
      log(`${m.name}: p50 ${m.p50.toFixed(2)} ms, p95 ${m.p95.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ${m.requests} calls${rate}`);
    }
    for (const note of result.notes) log(note);
    log(`load average at the end (1 / 5 / 15 min): ${load()}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
  } finally {
    if (other && other.exitCode === null) {
      const exited = new Promise((resolve) => other!.once("exit", resolve));
      other.kill("SIGTERM");
      await exited;
    }
    await handle.close();
    if (!values.reuse) await dropDatabase(adminUrl, NAME);
  }
}

if (values["dispatch-only"]) {
  void dispatchOnly(values["dispatch-only"]);
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
