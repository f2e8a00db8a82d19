// The outbox's cost (issue #19: at most 10 % on ingest and wave actions) and its delivery lag
// (p95 < 2 s from the change's commit to a healthy receiver having it). The same work is run with
// outbox rows written (a webhook subscribed to every event, the dispatcher delivering to a local
// HTTP receiver) and without (toggleOutboxForBench(false): no row is written), in alternating blocks
// so drift in the database hits both alike. Wave actions are pause + resume of one active wave
// (a pause emits wave.paused); ingest is DAL batches of 100 (gate verdicts emit events).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { startDispatcher } from "@/lib/outbox/dispatcher";
import { toggleOutboxForBench } from "@/lib/outbox/events";
import { performWaveAction } from "@/lib/rollouts/lifecycle";
import { loadFleet, makeGenerator } from "./ingest-events";
import { drive, throughDal, throughputRow, type Throughput } from "./ingest-http";
import { summariseLatencies, type LoadResult } from "./load";
import { measurement, type Measurement } from "./report";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A healthy webhook receiver: answers 200 at once and notes when each wave.paused reason arrived. */
async function startLagReceiver() {
  const arrivals = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const reason = (JSON.parse(body) as { data?: { reason?: string } }).data?.reason;
      if (reason) arrivals.set(reason, performance.now());
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/bench`,
    arrivals,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const asResult = (latencies: number[], seconds: number): LoadResult => ({ requests: latencies.length, non2xx: 0, errors: 0, ...summariseLatencies(latencies), rps: latencies.length / seconds });

export async function measureOutbox(opts: { db: Db; actor: Actor; quick: boolean; log: (line: string) => void }): Promise<{ measurements: Measurement[]; notes: string[] }> {
  const { db, actor, quick, log } = opts;
  const measurements: Measurement[] = [];
  const notes: string[] = [];
  const receiver = await startLagReceiver();
  const [hook] = await queryRows<{ id: number }>(db, sql`insert into webhooks (url, events, format, secret) values (${receiver.url}, '{*}', 'json', 'whsec_bench') returning id`);
  // Wave actions are timed with the dispatcher stopped: the cost measured is the change's own (the
  // outbox row in its transaction); delivery happens afterwards in the dispatcher, here in the same
  // process as the timed calls, and is measured by the lag row.
  let dispatcher: ReturnType<typeof startDispatcher> | null = null;
  try {
    const [wave] = await queryRows<{ id: number; rollout_id: number }>(
      db,
      sql`select w.id, w.rollout_id from waves w join rollouts r on r.id = w.rollout_id where w.status = 'active' and r.status = 'active' order by w.id limit 1`,
    );
    const BLOCKS = quick ? 4 : 10;

    if (wave) {
      const act = (action: "pause" | "resume", reason?: string) => performWaveAction(actor, { rolloutId: wave.rollout_id, waveId: wave.id, action, ...(reason ? { reason } : {}) });
      // 1,000 timed actions per mode: a p95 of 200 was its ten slowest calls, which one autovacuum or GC pause moved by half.
      const PAIRS = quick ? 5 : 50;
      const timed = { on: [] as number[], off: [] as number[] };
      const seconds = { on: 0, off: 0 };
      let n = 0;
      for (let block = 0; block < BLOCKS * 2; block++) {
        const mode = block % 2 === 0 ? "on" : "off";
        toggleOutboxForBench(mode === "on");
        const t0 = performance.now();
        for (let i = 0; i < PAIRS; i++) {
          for (const action of ["pause", "resume"] as const) {
            const started = performance.now();
            await act(action, action === "pause" ? `bench pause ${n++} for the outbox's cost` : undefined);
            timed[mode].push(performance.now() - started);
          }
        }
        seconds[mode] += (performance.now() - t0) / 1000;
      }
      toggleOutboxForBench(true);
      const off = asResult(timed.off, seconds.off);
      const on = asResult(timed.on, seconds.on);
      measurements.push(measurement("wave action (pause or resume), no outbox rows", off, null));
      measurements.push(measurement("wave action (pause or resume), outbox rows written (delivered later)", on, off, "p95 < 10 % over no outbox rows"));
      notes.push(`outbox on wave actions: p50 ${on.p50.toFixed(1)} ms with, ${off.p50.toFixed(1)} ms without (+${((on.p50 / off.p50 - 1) * 100).toFixed(1)} %); p95 +${((on.p95 / off.p95 - 1) * 100).toFixed(1)} %`);

      // The timed blocks' own events are not part of the lag: they are set aside, not delivered.
      await db.execute(sql`update outbox_events set fanned_out_at = now() where fanned_out_at is null`);
      dispatcher = startDispatcher({ db: async () => db, mail: null });
      // Lag: a pause every 50 ms; commit (the action returned) → the receiver has the event.
      log("outbox: delivery lag");
      const committed = new Map<string, number>();
      const LAG_EVENTS = quick ? 40 : 100;
      for (let i = 0; i < LAG_EVENTS; i++) {
        const reason = `bench lag ${i} of the outbox's delivery`;
        await act("pause", reason);
        committed.set(reason, performance.now());
        await act("resume");
        await sleep(50);
      }
      const deadline = Date.now() + 30_000;
      while ([...committed.keys()].some((r) => !receiver.arrivals.has(r)) && Date.now() < deadline) await sleep(50);
      const lags = [...committed].filter(([r]) => receiver.arrivals.has(r)).map(([r, at]) => receiver.arrivals.get(r)! - at);
      const missing = committed.size - lags.length;
      measurements.push({ ...measurement("outbox delivery lag (commit → healthy webhook receiver has it)", asResult(lags, 1), null, "p95 < 2,000 ms"), non2xx: missing });
      notes.push(`outbox delivery lag over ${lags.length} wave.paused events (${missing} not delivered within 30 s): p50 ${summariseLatencies(lags).p50.toFixed(0)} ms, p95 ${summariseLatencies(lags).p95.toFixed(0)} ms`);
    } else {
      notes.push("outbox on wave actions and delivery lag: not measured (no active wave in the seeded data)");
    }

    dispatcher ??= startDispatcher({ db: async () => db, mail: null });
    log("outbox: ingest with and without outbox rows");
    const generate = makeGenerator(await loadFleet(db), "bench-outbox");
    const BATCHES = quick ? 10 : 30;
    const runs = { on: [] as Throughput[], off: [] as Throughput[] };
    for (let block = 0; block < BLOCKS; block++) {
      for (const mode of (block % 2 === 0 ? ["on", "off"] : ["off", "on"]) as Array<"on" | "off">) {
        toggleOutboxForBench(mode === "on");
        runs[mode].push(await drive(Array.from({ length: BATCHES }, () => generate(100)), 2, throughDal(db, actor)));
      }
    }
    toggleOutboxForBench(true);
    const merge = (list: Throughput[]): Throughput => {
      const events = list.reduce((s, t) => s + t.events, 0);
      const secs = list.reduce((s, t) => s + t.seconds, 0);
      return { events, seconds: secs, eventsPerSecond: events / secs, failures: list.reduce((s, t) => s + t.failures, 0), latencies: list.flatMap((t) => t.latencies) };
    };
    const off = merge(runs.off);
    const on = merge(runs.on);
    measurements.push(throughputRow("ingest DAL, batches of 100, no outbox rows", off, null));
    measurements.push(throughputRow("ingest DAL, batches of 100, outbox rows written and delivered", on, off));
    const [{ events }] = await queryRows<{ events: number }>(db, sql`select count(*)::int as events from outbox_events`);
    notes.push(
      `outbox on ingest: ${Math.round(on.eventsPerSecond).toLocaleString("en")} events/s with, ${Math.round(off.eventsPerSecond).toLocaleString("en")} without ` +
        `(${((1 - on.eventsPerSecond / off.eventsPerSecond) * 100).toFixed(1)} % slower; target ≤ 10 %); ${events.toLocaleString("en")} outbox events in the database after the runs`,
    );
  } finally {
    toggleOutboxForBench(true);
    await dispatcher?.stop();
    await receiver.close();
    await db.execute(sql`delete from webhooks where id = ${hook.id}`);
  }
  return { measurements, notes };
}
