// `node --conditions=react-server --import tsx bench/pglite-stall.ts` (issue #20 item 1): where the
// time goes when the embedded database ingests while pages read. Seeds a small fleet into a
// throw-away PGlite, then ingests batches of 1,000 through the data-access layer, two at a time (as
// distribution points post), once per part size (events per transaction; 1,000 = the whole batch in
// one), all with the read priority of db/pglite-priority.ts, and measures
//   - what a batch costs before any SQL: parsing its JSON body, hashing it, validating its events;
//   - every statement of each part's transaction (PGlite runs each one synchronously in the event
//     loop), the whole transaction, and the longest the event loop was blocked in one go;
//   - what a page does against the database, every 100 ms, idle and during ingest: the session's
//     users row, then the layout's paused updates beside the overview's data (shared for a second
//     between viewers, as the page does), with the statements each read needed;
//   - the CPU time of this process per 1,000 events ingested, with the pages and without them.
// Options: --devices N (10000) --batches N (20 per mode) --parts 1000,500,250,100 --fcfs (also the
// whole batch with PGlite's own first-come lock, i.e. without the read priority)
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openPglite, useDbHandle, type DbHandle } from "@/db/client";
import { priorityQueueOf, withReadPriority } from "@/db/pglite-priority";
import { migrateDatabase } from "@/db/migrate";
import type { Actor } from "@/lib/auth/actor";
import { createApiToken, resolveApiToken } from "@/lib/auth/tokens";
import { forgetPageData, sharedPageData } from "@/lib/cache/page-data";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { validateEvents } from "@/lib/deployments/ingest-model";
import { getOverview } from "@/lib/overview/queries";
import { seedScale } from "@/lib/seed/scale";
import { listPausedUpdates } from "@/lib/updates/pause";
import { loadFleet, makeGenerator } from "./ingest-events";
import { summariseLatencies } from "./load";

const { values } = parseArgs({
  options: {
    devices: { type: "string", default: "10000" },
    batches: { type: "string", default: "20" },
    parts: { type: "string", default: "1000,500,250,100" },
    fcfs: { type: "boolean", default: false },
  },
  strict: true,
});
const DEVICES = Number(values.devices);
const BATCHES = Number(values.batches);
const PART_SIZES = values.parts.split(",").map(Number);
if (PART_SIZES.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--parts takes positive integers, not ${values.parts}`);
const system: Actor = { kind: "system", label: "bench" };
const fmt = (n: number) => n.toFixed(1);

type Timing = { sql: string; ms: number };

/** Times every statement run inside a transaction of `handle`'s client (the transaction's own handle). */
function timeTransactions(handle: DbHandle) {
  const client = handle.pglite!;
  const statements: Timing[] = [];
  const transactions: { ms: number; cpuMs: number; statementsMs: number }[] = [];
  const original = client.transaction.bind(client);
  client.transaction = (async (callback: Parameters<typeof client.transaction>[0]) => {
    const t0 = performance.now();
    // CPU time, unlike wall time, does not grow with the other processes on a busy machine: it is
    // how long this transaction keeps the event loop on a quiet one.
    const cpu0 = process.cpuUsage();
    let inside = 0;
    const result = await original(async (tx) => {
      for (const name of ["query", "exec"] as const) {
        const run = (tx[name] as (...args: unknown[]) => Promise<unknown>).bind(tx);
        (tx as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
          const s0 = performance.now();
          try {
            return await run(...args);
          } finally {
            const ms = performance.now() - s0;
            inside += ms;
            statements.push({ sql: String(args[0]).replace(/\s+/g, " ").trim().slice(0, 70), ms });
          }
        };
      }
      return callback(tx);
    });
    const cpu = process.cpuUsage(cpu0);
    transactions.push({ ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, statementsMs: inside });
    return result;
  }) as typeof client.transaction;
  return { statements, transactions };
}

/** Counts the top-level statements (outside transactions) of `handle`'s client. */
function countStatements(handle: DbHandle): { count: number } {
  const client = handle.pglite!;
  const counter = { count: 0 };
  for (const name of ["query", "exec"] as const) {
    const run = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      counter.count++;
      return run(...args);
    };
  }
  return counter;
}

/** What the overview page asks the database: the session's users row, then the layout's paused updates beside the page's data. */
async function pageReads(handle: DbHandle) {
  await handle.db.execute(sql`select id, role, disabled, session_version from users order by id limit 1`);
  await Promise.all([listPausedUpdates(system), sharedPageData(system, "dashboard.read", "overview", () => getOverview(system))]);
}

/** Page reads at 10 per second until `stop()`, open loop (each due on time, answered or not); the latency of each. */
async function sample(handle: DbHandle, stop: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  for (let due = performance.now(); !stop(); due += 100) {
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const at = due;
    pending.push(pageReads(handle).then(() => void latencies.push(performance.now() - at)));
  }
  await Promise.all(pending);
  return latencies;
}

/** Median milliseconds of `work` over `runs` runs. */
function timeSync(work: () => unknown, runs = 21): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    work();
    ms.push(performance.now() - t0);
  }
  return summariseLatencies(ms).p50;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-pglite-stall-"));
  try {
    process.env.ROLLCALL_PGLITE_READ_PRIORITY = "off";
    let handle = await openPglite(dir, "bench");
    useDbHandle(handle);
    await migrateDatabase(handle);
    const seeded = Date.now();
    await seedScale(handle.db, DEVICES);
    console.log(`seeded ${DEVICES.toLocaleString("en")} devices × 10 updates in ${((Date.now() - seeded) / 1000).toFixed(0)} s; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    const token = await createApiToken(system, { name: "stall", scopes: ["ingest"] });
    const actor = (await resolveApiToken(token.token))!;
    const fleet = await loadFleet(handle.db);
    const generate = makeGenerator(fleet, "stall");

    // Before any SQL: the body of a batch of 1,000 parsed, hashed and validated (each synchronous, in the event loop).
    const sampleBody = JSON.stringify(generate(1000).map((e) => e.wire));
    const parsed = JSON.parse(sampleBody) as unknown[];
    console.log(
      `a batch of 1,000 (${Math.round(sampleBody.length / 1024)} KiB of JSON) before its SQL: JSON.parse ${fmt(timeSync(() => JSON.parse(sampleBody)))} ms, ` +
        `sha256 ${fmt(timeSync(() => createHash("sha256").update(sampleBody).digest("hex")))} ms, validation ${fmt(timeSync(() => validateEvents(parsed)))} ms (medians of 21)`,
    );

    const modes = [...(values.fcfs ? [{ partSize: 1000, priority: false }] : []), ...PART_SIZES.map((partSize) => ({ partSize, priority: true }))];
    for (const { partSize, priority } of modes) {
      // A fresh client each time; the timing goes inside the queue, so a transaction's time excludes its wait.
      await handle.close();
      handle = await openPglite(dir, "bench");
      const timed = timeTransactions(handle);
      const statements = countStatements(handle);
      if (priority) {
        delete process.env.ROLLCALL_PGLITE_READ_PRIORITY;
        withReadPriority(handle.pglite!);
      } else process.env.ROLLCALL_PGLITE_READ_PRIORITY = "off";
      useDbHandle(handle);
      const ingest = (events: unknown[]) => ingestStatusEvents(actor, events, { db: handle.db, partSize }).then(() => forgetPageData());
      await ingest(generate(1000).map((e) => e.wire)); // warm-up
      timed.statements.length = 0;
      timed.transactions.length = 0;
      statements.count = 0;
      const until = Date.now() + 3_000;
      const idleLatencies = await sample(handle, () => Date.now() > until);
      const idle = summariseLatencies(idleLatencies);
      const statementsPerIdleRead = statements.count / idleLatencies.length;

      const batches = Array.from({ length: BATCHES }, () => generate(1000).map((e) => e.wire));
      let next = 0;
      let finished = false;
      const blocked = monitorEventLoopDelay({ resolution: 1 });
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      blocked.enable();
      const ingesting = Promise.all(
        [0, 1].map(async () => {
          while (next < batches.length) await ingest(batches[next++]);
        }),
      ).finally(() => (finished = true));
      const duringLatencies = await sample(handle, () => finished);
      await ingesting;
      blocked.disable();
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const during = summariseLatencies(duringLatencies);
      const tx = summariseLatencies(timed.transactions.map((t) => t.ms));
      const txCpu = summariseLatencies(timed.transactions.map((t) => t.cpuMs));
      const gaps = summariseLatencies(timed.transactions.map((t) => t.ms - t.statementsMs));
      console.log(`\n${partSize >= 1000 ? "the whole batch in one transaction" : `parts of ${partSize}`}, ${priority ? "read priority (db/pglite-priority.ts)" : "first come, first served (PGlite's lock)"}`);
      console.log(
        `  ingest: ${BATCHES} batches of 1,000 in ${seconds.toFixed(1)} s = ${Math.round((BATCHES * 1000) / seconds).toLocaleString("en")} events/s; ` +
          `CPU of this process ${fmt((cpu.user + cpu.system) / 1000 / BATCHES)} ms per 1,000 events (pages included); load average ${os.loadavg()[0].toFixed(1)}`,
      );
      console.log(
        `  ${timed.transactions.length} transactions: p50 ${fmt(tx.p50)} ms, p95 ${fmt(tx.p95)} ms, max ${fmt(tx.max)} ms (CPU p50 ${fmt(txCpu.p50)} ms, p95 ${fmt(txCpu.p95)} ms, max ${fmt(txCpu.max)} ms); ` +
          `JavaScript between their statements p50 ${fmt(gaps.p50)} ms; ` +
          `event loop blocked at most ${fmt(blocked.max / 1e6)} ms in one go (delay p99 ${fmt(blocked.percentile(99) / 1e6)} ms)`,
      );
      const bySql = new Map<string, number[]>();
      for (const s of timed.statements) bySql.set(s.sql, [...(bySql.get(s.sql) ?? []), s.ms]);
      const rows = [...bySql].map(([q, ms]) => ({ q, n: ms.length, mean: ms.reduce((a, b) => a + b, 0) / ms.length, max: Math.max(...ms) })).sort((a, b) => b.mean * b.n - a.mean * a.n);
      for (const r of rows.slice(0, 8)) console.log(`    ${fmt(r.mean).padStart(7)} ms mean, ${fmt(r.max).padStart(7)} max, ×${String(r.n).padStart(4)}  ${r.q}`);
      console.log(
        `  page reads at 10/s (${fmt(statementsPerIdleRead)} statements each when idle): idle (${idleLatencies.length}) p50 ${fmt(idle.p50)} / p95 ${fmt(idle.p95)} / p99 ${fmt(idle.p99)} ms; ` +
          `during ingest (${duringLatencies.length}) p50 ${fmt(during.p50)} / p95 ${fmt(during.p95)} / p99 ${fmt(during.p99)} / max ${fmt(during.max)} ms`,
      );
      // The cost of the parts themselves: the same ingest with no page reading beside it.
      const alone = Array.from({ length: Math.max(2, Math.round(BATCHES / 2)) }, () => generate(1000).map((e) => e.wire));
      const aloneCpu0 = process.cpuUsage();
      const a0 = performance.now();
      let nextAlone = 0;
      await Promise.all(
        [0, 1].map(async () => {
          while (nextAlone < alone.length) await ingest(alone[nextAlone++]);
        }),
      );
      const aloneCpu = process.cpuUsage(aloneCpu0);
      const aloneSeconds = (performance.now() - a0) / 1000;
      console.log(
        `  without page reads: ${alone.length} batches at ${Math.round((alone.length * 1000) / aloneSeconds).toLocaleString("en")} events/s, ` +
          `CPU ${fmt((aloneCpu.user + aloneCpu.system) / 1000 / alone.length)} ms per 1,000 events`,
      );
      const queue = priorityQueueOf(handle.pglite!);
      if (queue) {
        const s = queue.stats;
        console.log(`  queue: ${s.statements} statements waited ${fmt(s.statementWaitMs / Math.max(1, s.statements))} ms on average, ${s.transactions} transactions ${fmt(s.transactionWaitMs / Math.max(1, s.transactions))} ms`);
      }
    }
    await handle.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
