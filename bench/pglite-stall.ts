// `npm run bench:pglite-stall` (issue #20 item 1): where the time goes when the embedded database
// ingests while pages read. Seeds a small fleet into a throw-away PGlite, then ingests batches of
// 1,000 through the data-access layer, two at a time (as distribution points post), and times
//   - every statement of the batch's transaction (PGlite runs each one synchronously in the event
//     loop, so the longest is also the longest the process cannot answer anything at all),
//   - the whole transaction, and the JavaScript between its statements,
//   - what a page does against the database (the session's users row, then the overview's reads),
//     every 100 ms, idle and during ingest — once with PGlite's own first-come lock and once with
//     the read priority of db/pglite-priority.ts.
// Options: --devices N (10000) --batches N (20 per mode)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openPglite, useDbHandle, type DbHandle } from "@/db/client";
import { priorityQueueOf, withReadPriority } from "@/db/pglite-priority";
import { migrateDatabase } from "@/db/migrate";
import type { Actor } from "@/lib/auth/actor";
import { createApiToken, resolveApiToken } from "@/lib/auth/tokens";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { getOverview } from "@/lib/overview/queries";
import { seedScale } from "@/lib/seed/scale";
import { loadFleet, makeGenerator } from "./ingest-events";
import { summariseLatencies } from "./load";

const { values } = parseArgs({ options: { devices: { type: "string", default: "10000" }, batches: { type: "string", default: "20" } }, strict: true });
const DEVICES = Number(values.devices);
const BATCHES = Number(values.batches);
const system: Actor = { kind: "system", label: "bench" };
const fmt = (n: number) => n.toFixed(1);

type Timing = { sql: string; ms: number };

/** Times every statement run inside a transaction of `handle`'s client (the transaction's own handle). */
function timeTransactions(handle: DbHandle) {
  const client = handle.pglite!;
  const statements: Timing[] = [];
  const transactions: { ms: number; statementsMs: number }[] = [];
  const original = client.transaction.bind(client);
  client.transaction = (async (callback: Parameters<typeof client.transaction>[0]) => {
    const t0 = performance.now();
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
    transactions.push({ ms: performance.now() - t0, statementsMs: inside });
    return result;
  }) as typeof client.transaction;
  return { statements, transactions };
}

/** What a page asks the database: the signed-in user's row, then the overview's reads. */
async function pageReads(handle: DbHandle) {
  await handle.db.execute(sql`select id, role, disabled, session_version from users order by id limit 1`);
  await getOverview(system);
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

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-pglite-stall-"));
  try {
    process.env.ROLLCALL_PGLITE_READ_PRIORITY = "off";
    let handle = await openPglite(dir, "bench");
    useDbHandle(handle);
    await migrateDatabase(handle);
    const seeded = Date.now();
    await seedScale(handle.db, DEVICES);
    console.log(`seeded ${DEVICES.toLocaleString("en")} devices × 10 updates in ${((Date.now() - seeded) / 1000).toFixed(0)} s`);
    const token = await createApiToken(system, { name: "stall", scopes: ["ingest"] });
    const actor = (await resolveApiToken(token.token))!;
    const fleet = await loadFleet(handle.db);
    const generate = makeGenerator(fleet, "stall");

    for (const mode of ["first come, first served (PGlite's lock)", "read priority (db/pglite-priority.ts)"]) {
      // A fresh client each time; the timing goes inside the queue, so a transaction's time excludes its wait.
      await handle.close();
      handle = await openPglite(dir, "bench");
      const timed = timeTransactions(handle);
      if (mode.startsWith("read")) {
        delete process.env.ROLLCALL_PGLITE_READ_PRIORITY;
        withReadPriority(handle.pglite!);
      }
      useDbHandle(handle);
      await ingestStatusEvents(actor, generate(1000).map((e) => e.wire), { db: handle.db }); // warm-up
      timed.statements.length = 0;
      timed.transactions.length = 0;
      const until = Date.now() + 3_000;
      const idleLatencies = await sample(handle, () => Date.now() > until);
      const idle = summariseLatencies(idleLatencies);
      const batches = Array.from({ length: BATCHES }, () => generate(1000));
      let next = 0;
      let finished = false;
      const t0 = performance.now();
      const ingesting = Promise.all(
        [0, 1].map(async () => {
          while (next < batches.length) await ingestStatusEvents(actor, batches[next++].map((e) => e.wire), { db: handle.db });
        }),
      ).finally(() => (finished = true));
      const duringLatencies = await sample(handle, () => finished);
      const during = summariseLatencies(duringLatencies);
      await ingesting;
      const seconds = (performance.now() - t0) / 1000;
      const tx = summariseLatencies(timed.transactions.map((t) => t.ms));
      const gaps = summariseLatencies(timed.transactions.map((t) => t.ms - t.statementsMs));
      console.log(`\n${mode}`);
      console.log(`  ingest: ${BATCHES} batches of 1,000 in ${seconds.toFixed(1)} s = ${Math.round((BATCHES * 1000) / seconds).toLocaleString("en")} events/s`);
      console.log(`  transaction: p50 ${fmt(tx.p50)} ms, p95 ${fmt(tx.p95)} ms, max ${fmt(tx.max)} ms; JavaScript between its statements p50 ${fmt(gaps.p50)} ms`);
      const bySql = new Map<string, number[]>();
      for (const s of timed.statements) bySql.set(s.sql, [...(bySql.get(s.sql) ?? []), s.ms]);
      const rows = [...bySql].map(([q, ms]) => ({ q, n: ms.length, mean: ms.reduce((a, b) => a + b, 0) / ms.length, max: Math.max(...ms) })).sort((a, b) => b.mean * b.n - a.mean * a.n);
      for (const r of rows.slice(0, 12)) console.log(`    ${fmt(r.mean).padStart(7)} ms mean, ${fmt(r.max).padStart(7)} max, ×${String(r.n).padStart(3)}  ${r.q}`);
      console.log(`  page reads at 10/s: idle (${idleLatencies.length}) p50 ${fmt(idle.p50)} / p95 ${fmt(idle.p95)} / p99 ${fmt(idle.p99)} ms; during ingest (${duringLatencies.length}) p50 ${fmt(during.p50)} / p95 ${fmt(during.p95)} / p99 ${fmt(during.p99)} / max ${fmt(during.max)} ms`);
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
