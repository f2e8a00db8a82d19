// The outbox's cost (issue #19: at most 10 % on ingest and wave actions) and its delivery lag
// (p95 < 2 s from the change's commit to a healthy receiver having it). The same work is run with
// outbox rows written and without (toggleOutboxForBench(false): no row is written), in alternating
// blocks so drift in the database hits both alike. Wave actions are pause + resume of one active
// wave (a pause emits wave.paused), timed before any webhook is subscribed; ingest is DAL batches of
// 100 (gate verdicts emit events) with a webhook subscribed to every event and the dispatcher
// delivering to a local HTTP receiver. `npm run bench` runs it after its other rows;
// bench/outbox-alone.ts runs it alone against its own seeded database.
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

type Mode = "on" | "off";
type ActionKind = "pause" | "resume";

/** What a runner can count besides time: round trips per call (synchronous), and anything per block (e.g. the database backends' CPU). */
export type OutboxProbes = {
  /** A running count of statements sent to the database by this process. */
  roundTrips?: () => number;
  /** Running totals sampled before and after each block (summed per mode, per action in the notes). */
  perBlock?: () => Promise<Record<string, number>>;
};

export type WaveActionTimings = {
  wave: { id: number; rolloutId: number };
  modes: Record<Mode, { all: number[]; byAction: Record<ActionKind, number[]>; seconds: number; roundTrips: Record<ActionKind, number>; totals: Record<string, number> }>;
};

const emptyMode = () => ({ all: [] as number[], byAction: { pause: [] as number[], resume: [] as number[] }, seconds: 0, roundTrips: { pause: 0, resume: 0 }, totals: {} as Record<string, number> });

/** The process's own CPU time so far (ms): the client's share of a call (drizzle, pg, the kernel). */
const clientCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Pause + resume of one active wave, `pairs` pairs per block, blocks alternating with outbox rows
 * written (on) and without (off). A pause emits wave.paused; a resume emits nothing, so it is the
 * same work in both modes. Nothing is subscribed while this runs: no delivery competes with the calls.
 */
export async function timeWaveActions(opts: { db: Db; actor: Actor; blocks: number; pairs: number; probes?: OutboxProbes }): Promise<WaveActionTimings | null> {
  const { db, actor, blocks, pairs, probes = {} } = opts;
  const [wave] = await queryRows<{ id: number; rollout_id: number }>(
    db,
    sql`select w.id, w.rollout_id from waves w join rollouts r on r.id = w.rollout_id where w.status = 'active' and r.status = 'active' order by w.id limit 1`,
  );
  if (!wave) return null;
  const act = (action: ActionKind, reason?: string) => performWaveAction(actor, { rolloutId: wave.rollout_id, waveId: wave.id, action, ...(reason ? { reason } : {}) });
  const modes: WaveActionTimings["modes"] = { on: emptyMode(), off: emptyMode() };
  const sample = async () => ({ clientCpuMs: clientCpuMs(), ...(await probes.perBlock?.()) });
  let n = 0;
  try {
    // Untimed first: the first block would otherwise also pay for cold plans and caches.
    for (let i = 0; i < pairs; i++) {
      await act("pause", `bench warm-up ${i} for the outbox's cost`);
      await act("resume");
    }
    for (let block = 0; block < blocks * 2; block++) {
      const mode: Mode = block % 2 === 0 ? "on" : "off";
      const m = modes[mode];
      toggleOutboxForBench(mode === "on");
      const before = await sample();
      const t0 = performance.now();
      for (let i = 0; i < pairs; i++) {
        for (const action of ["pause", "resume"] as const) {
          const trips = probes.roundTrips?.() ?? 0;
          const started = performance.now();
          await act(action, action === "pause" ? `bench pause ${n++} for the outbox's cost` : undefined);
          const took = performance.now() - started;
          m.roundTrips[action] += (probes.roundTrips?.() ?? 0) - trips;
          m.all.push(took);
          m.byAction[action].push(took);
        }
      }
      m.seconds += (performance.now() - t0) / 1000;
      const after = await sample();
      for (const [key, value] of Object.entries(after)) m.totals[key] = (m.totals[key] ?? 0) + value - (before[key as keyof typeof before] ?? 0);
    }
  } finally {
    toggleOutboxForBench(true);
  }
  return { wave: { id: wave.id, rolloutId: wave.rollout_id }, modes };
}

const pct = (on: number, off: number) => `${on >= off ? "+" : ""}${((on / off - 1) * 100).toFixed(1)} %`;

/** The notes of a timing: both actions, the pause alone (the call that writes the row), round trips and CPU per action. */
export function waveActionNotes(t: WaveActionTimings): string[] {
  const { on, off } = t.modes;
  const a = { on: summariseLatencies(on.all), off: summariseLatencies(off.all) };
  const p = { on: summariseLatencies(on.byAction.pause), off: summariseLatencies(off.byAction.pause) };
  const notes = [
    `outbox on wave actions (${on.all.length.toLocaleString("en")} calls per mode): p50 ${a.on.p50.toFixed(1)} ms with, ${a.off.p50.toFixed(1)} ms without (${pct(a.on.p50, a.off.p50)}); ` +
      `p95 ${a.on.p95.toFixed(1)} / ${a.off.p95.toFixed(1)} ms (${pct(a.on.p95, a.off.p95)}); the pause alone (the call that writes a row): p50 ${p.on.p50.toFixed(1)} / ${p.off.p50.toFixed(1)} ms (${pct(p.on.p50, p.off.p50)}), ` +
      `p95 ${p.on.p95.toFixed(1)} / ${p.off.p95.toFixed(1)} ms (${pct(p.on.p95, p.off.p95)})`,
  ];
  const pairs = on.byAction.pause.length;
  if (on.roundTrips.pause + off.roundTrips.pause > 0) {
    const per = (m: typeof on, k: ActionKind) => (m.roundTrips[k] / m.byAction[k].length).toFixed(1);
    notes.push(`round trips to the database per call (BEGIN and COMMIT included): pause ${per(on, "pause")} with outbox rows, ${per(off, "pause")} without; resume ${per(on, "resume")} / ${per(off, "resume")}`);
  }
  const keys = Object.keys(on.totals);
  if (keys.length) {
    notes.push(
      `CPU per call (both actions, ${(pairs * 2).toLocaleString("en")} calls per mode): ` +
        keys.map((k) => `${k} ${(on.totals[k] / (pairs * 2)).toFixed(3)} with, ${(off.totals[k] / (pairs * 2)).toFixed(3)} without (${pct(on.totals[k], off.totals[k])})`).join("; "),
    );
  }
  return notes;
}

export async function measureOutbox(opts: {
  db: Db;
  actor: Actor;
  quick: boolean;
  log: (line: string) => void;
  probes?: OutboxProbes;
  /** false: wave actions and the delivery lag only. */
  ingest?: boolean;
}): Promise<{ measurements: Measurement[]; notes: string[] }> {
  const { db, actor, quick, log } = opts;
  const measurements: Measurement[] = [];
  const notes: string[] = [];
  const receiver = await startLagReceiver();
  let hook: { id: number } | undefined;
  // Wave actions are timed with no webhook subscribed and this process's dispatcher stopped: the
  // cost measured is the change's own (the outbox row in its transaction). A subscribed webhook
  // would be delivered to meanwhile by any other process's dispatcher on this database (the bench
  // server runs one), to the receiver on this process's event loop, between the timed calls.
  let dispatcher: ReturnType<typeof startDispatcher> | null = null;
  try {
    const BLOCKS = quick ? 4 : 10;
    // 1,000 timed actions per mode: a p95 of 200 was its ten slowest calls, which one autovacuum or GC pause moved by half.
    const timed = await timeWaveActions({ db, actor, blocks: BLOCKS, pairs: quick ? 5 : 50, probes: opts.probes });
    // The timed blocks' own events are not part of the lag: they are set aside before anything is subscribed.
    await db.execute(sql`update outbox_events set fanned_out_at = now() where fanned_out_at is null`);
    [hook] = await queryRows<{ id: number }>(db, sql`insert into webhooks (url, events, format, secret) values (${receiver.url}, '{*}', 'json', 'whsec_bench') returning id`);

    if (timed) {
      const act = (action: ActionKind, reason?: string) => performWaveAction(actor, { rolloutId: timed.wave.rolloutId, waveId: timed.wave.id, action, ...(reason ? { reason } : {}) });
      const off = asResult(timed.modes.off.all, timed.modes.off.seconds);
      const on = asResult(timed.modes.on.all, timed.modes.on.seconds);
      measurements.push(measurement("wave action (pause or resume), no outbox rows", off, null));
      measurements.push(measurement("wave action (pause or resume), outbox rows written (delivered later)", on, off, "p95 < 10 % over no outbox rows"));
      notes.push(...waveActionNotes(timed));

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

    if (opts.ingest === false) return { measurements, notes };
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
    if (hook) await db.execute(sql`delete from webhooks where id = ${hook.id}`);
  }
  return { measurements, notes };
}
