// PostgreSQL: two Rollcall instances on one database take the replay while the suite kills their
// database connections twice and restarts one instance with SIGTERM; then the database must equal
// the oracle and hold every acknowledged event.
import path from "node:path";
import { dropDatabase, recreateDatabase } from "@/db/admin";
import { openPostgres, type DbHandle } from "@/db/client";
import type { Context } from "./context";
import { PORTS } from "./context";
import { generateTraffic, pct } from "./events";
import { Progress, terminateBackends } from "./faults";
import { prepareData } from "./prepare";
import { replay, resend } from "./replay";
import { Instance } from "./server";
import { verifyReplay } from "./verify";

const SCENARIO = "postgres";

export async function runPostgres(ctx: Context, adminUrl: string): Promise<void> {
  const { checks, log, profile } = ctx;
  const name = `rollcall_rel_${process.pid}`;
  const url = await recreateDatabase(adminUrl, name);
  ctx.defer(() => dropDatabase(adminUrl, name).then(() => log(`dropped database ${name}`)));

  let t = Date.now();
  const handle: DbHandle = openPostgres(url, { max: 4, applicationName: "rollcall-rel" });
  ctx.defer(() => handle.close());
  const prepared = await prepareData(handle);
  log(`${SCENARIO}: database ${name} migrated and seeded with the demo in ${Date.now() - t} ms`);

  const instances = [PORTS.postgresA, PORTS.postgresB].map(
    // pg-a runs two server processes on its port (WEB_CONCURRENCY), so the suite covers that mode too.
    (port, i) =>
      new Instance({ name: `pg-${"ab"[i]}`, port, distDir: ctx.distDir, logDir: ctx.workDir, database: { url, dataDir: path.join(ctx.workDir, "pg-instances") }, processes: i === 0 ? 2 : 1 }),
  );
  ctx.defer(async () => {
    for (const i of instances) if (i.running) await i.terminate(15_000).catch(() => i.killGroup("SIGKILL"));
  });
  t = Date.now();
  for (const i of instances) i.start();
  const started = await Promise.all(instances.map((i) => i.waitHealthy(180_000, t)));
  if (!checks.check(SCENARIO, "two instances start on one database", started.every((ms) => ms !== null), `healthy after ${started.join(" / ")} ms`)) {
    for (const i of instances) log(`${i.options.name} log:\n${i.logTail()}`);
    return;
  }

  const traffic = generateTraffic({
    seed: profile.seed,
    sends: profile.sends,
    batchSize: profile.batchSize,
    targets: prepared.start.targets,
    tag: `rel-pg-${profile.seed}`,
    now: Date.now(),
  });
  log(`${SCENARIO}: replaying ${traffic.sends} events (${traffic.duplicates} resent, ${traffic.reordered} late: ${pct(traffic.duplicates, traffic.sends)} and ${pct(traffic.reordered, traffic.sends)}) in ${traffic.batches.length} batches over 2 instances`);

  // Faults at fixed points of the replay, each running alongside it.
  const progress = new Progress();
  const total = traffic.batches.length;
  const faults: Array<{ at: number; run: () => Promise<void> }> = [
    { at: 0.2, run: () => killConnections(1) },
    { at: 0.3, run: () => restartInstance(instances[1]) },
    { at: 0.7, run: () => killConnections(2) },
  ];
  const running: Promise<void>[] = [];
  let restarted: { instance: Instance; ackedBefore: number } | null = null;

  async function killConnections(n: number) {
    const r = await terminateBackends(adminUrl, name, instances, progress);
    log(`${SCENARIO}: pg_terminate_backend #${n}: ${r.killed} connections killed; health 200 on both after ${r.recoveredMs} ms; next batch acknowledged after ${r.resumedMs} ms`);
    checks.check(SCENARIO, `pg_terminate_backend #${n} killed Rollcall connections`, r.killed > 0, `${r.killed} killed`);
    checks.recovery(SCENARIO, `pg_terminate_backend #${n}`, r.recoveredMs, `next batch acknowledged after ${r.resumedMs} ms`);
  }

  async function restartInstance(instance: Instance) {
    const other = instances.find((i) => i !== instance)!;
    const mark = progress.mark();
    const exit = await instance.terminate();
    const otherUp = await other.healthy();
    checks.check(SCENARIO, "SIGTERM: the instance drains and exits 0", exit.code === 0, `exit ${exit.code ?? exit.signal} after ${exit.ms} ms`);
    checks.check(SCENARIO, "SIGTERM: the other instance keeps answering", otherUp && (await progress.resumed(mark)) !== null);
    const t0 = Date.now();
    instance.start();
    const ms = await instance.waitHealthy(60_000, t0);
    log(`${SCENARIO}: SIGTERM ${instance.options.name}: exited ${exit.code} after ${exit.ms} ms; restarted and healthy after ${ms} ms (${instance.startTimeline()})`);
    checks.recovery(SCENARIO, `SIGTERM and restart of ${instance.options.name}`, ms, `drain and exit took ${exit.ms} ms; ${instance.startTimeline()}`);
    restarted = { instance, ackedBefore: progress.byInstance.get(instance.base) ?? 0 };
  }

  const result = await replay({
    batches: traffic.batches,
    targets: () => instances.map((i) => i.base),
    token: prepared.token,
    lanes: 4,
    onProgress: (done, by) => {
      progress.record(done, by);
      while (faults.length && done >= faults[0].at * total) running.push(faults.shift()!.run());
    },
  });
  await Promise.all(running);
  if (restarted) {
    const { instance, ackedBefore } = restarted as { instance: Instance; ackedBefore: number };
    const after = (progress.byInstance.get(instance.base) ?? 0) - ackedBefore;
    // However far the replay had got when it came back: an old batch resent to it is answered from the idempotency record.
    const again = instance.running ? await resend(instance.base, traffic.batches[0], prepared.token).catch((e: Error) => ({ status: 0, replayed: false, error: e.message })) : null;
    checks.check(SCENARIO, "the restarted instance answers a resent batch from its Idempotency-Key", again?.status === 200 && again.replayed,
      `${after} replay batches acknowledged by it after its restart; resend: ${again ? `${again.status}${again.replayed ? ", replayed" : ""}` : "not running"}`);
  }
  log(
    `${SCENARIO}: replay took ${(result.ms / 1000).toFixed(1)} s (${Math.round(traffic.sends / (result.ms / 1000))} events/s); ` +
      `${result.retries} retries (${Object.entries(result.retryReasons).map(([k, v]) => `${k} ×${v}`).join(", ") || "none"}), ${result.replayedAnswers} answers replayed by Idempotency-Key`,
  );
  const exits = await Promise.all(instances.filter((i) => i.running).map((i) => i.terminate()));
  checks.check(SCENARIO, "SIGTERM after the replay: both instances exit 0", exits.length === 2 && exits.every((e) => e.code === 0),
    exits.map((e) => `exit ${e.code ?? e.signal} after ${e.ms} ms`).join(", "));
  await verifyReplay({ db: handle.db, scenario: SCENARIO, checks, start: prepared.start, source: prepared.source, traffic, result });
}
