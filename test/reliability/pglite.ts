// Embedded PGlite: one instance takes the replay and is killed with kill -9 in the middle; it is
// started again on the same data directory and the replay continues. Afterwards the data directory,
// opened directly, must equal the oracle and hold every acknowledged event.
import fs from "node:fs";
import path from "node:path";
import { closeDb, openPglite } from "@/db/client";
import type { Context } from "./context";
import { PORTS } from "./context";
import { generateTraffic, pct } from "./events";
import { Progress } from "./faults";
import { prepareData } from "./prepare";
import { replay } from "./replay";
import { Instance } from "./server";
import { verifyReplay } from "./verify";

const SCENARIO = "pglite";

export async function runPglite(ctx: Context): Promise<void> {
  const { checks, log, profile } = ctx;
  const dataDir = fs.mkdtempSync(path.join(ctx.workDir, "pglite-data-"));
  const pgliteDir = path.join(dataDir, "pglite");

  let t = Date.now();
  const seeding = await openPglite(pgliteDir, "reliability");
  let prepared;
  try {
    prepared = await prepareData(seeding);
  } finally {
    await closeDb();
  }
  log(`${SCENARIO}: data directory migrated and seeded with the demo in ${Date.now() - t} ms`);

  const instance = new Instance({ name: "pglite", port: PORTS.pglite, distDir: ctx.distDir, logDir: ctx.workDir, database: { dataDir } });
  ctx.defer(async () => {
    if (instance.running) await instance.terminate(15_000).catch(() => instance.killGroup("SIGKILL"));
  });
  t = Date.now();
  instance.start();
  const startedMs = await instance.waitHealthy(180_000, t);
  if (!checks.check(SCENARIO, "the instance starts on the seeded data directory", startedMs !== null, `healthy after ${startedMs} ms`)) {
    log(`${instance.options.name} log:\n${instance.logTail()}`);
    return;
  }

  const traffic = generateTraffic({
    seed: profile.seed + 1,
    sends: profile.sends,
    batchSize: profile.batchSize,
    targets: prepared.start.targets,
    tag: `rel-pglite-${profile.seed}`,
    now: Date.now(),
  });
  log(`${SCENARIO}: replaying ${traffic.sends} events (${traffic.duplicates} resent, ${traffic.reordered} late: ${pct(traffic.duplicates, traffic.sends)} and ${pct(traffic.reordered, traffic.sends)}) in ${traffic.batches.length} batches`);

  const progress = new Progress();
  const total = traffic.batches.length;
  let crash: Promise<void> | null = null;
  const stop = new AbortController();

  async function killAndRestart() {
    const mark = progress.mark();
    const goneMs = await instance.crash();
    instance.start();
    const spawnedAt = Date.now();
    const ms = await instance.waitHealthy(60_000, mark.t0);
    const timeline = `after the respawn (+${spawnedAt - mark.t0} ms): ${instance.startTimeline()}`;
    const resumedMs = ms === null ? null : await progress.resumed(mark);
    log(`${SCENARIO}: kill -9 mid-replay; every server process gone after ${goneMs} ms; restarted on the same data directory, health 200 after ${ms} ms (${timeline}); next batch acknowledged after ${resumedMs} ms`);
    checks.recovery(SCENARIO, "kill -9 and restart", ms, `processes gone after ${goneMs} ms; ${timeline}`);
    if (ms === null) {
      log(`${instance.options.name} log:\n${instance.logTail()}`);
      stop.abort(); // nothing left to send to
    }
  }

  const result = await replay({
    batches: traffic.batches,
    targets: () => [instance.base],
    token: prepared.token,
    lanes: 2,
    signal: stop.signal,
    onProgress: (done, by) => {
      progress.record(done, by);
      if (!crash && done >= 0.4 * total) crash = killAndRestart();
    },
  });
  await crash;
  log(
    `${SCENARIO}: replay took ${(result.ms / 1000).toFixed(1)} s (${Math.round(traffic.sends / (result.ms / 1000))} events/s); ` +
      `${result.retries} retries (${Object.entries(result.retryReasons).map(([k, v]) => `${k} ×${v}`).join(", ") || "none"}), ${result.replayedAnswers} answers replayed by Idempotency-Key`,
  );
  if (!instance.running) return;
  const exit = await instance.terminate();
  checks.check(SCENARIO, "SIGTERM after the replay: exits 0", exit.code === 0, `exit ${exit.code ?? exit.signal} after ${exit.ms} ms`);

  t = Date.now();
  let reopened;
  try {
    reopened = await openPglite(pgliteDir, "reliability");
  } catch (error) {
    checks.check(SCENARIO, "the data directory reopens after the kill -9", false, (error as Error).message);
    return;
  }
  try {
    checks.check(SCENARIO, "the data directory reopens after the kill -9", true, `opened in ${Date.now() - t} ms`);
    await verifyReplay({ db: reopened.db, scenario: SCENARIO, checks, start: prepared.start, source: prepared.source, traffic, result });
  } finally {
    await reopened.close();
  }
}
