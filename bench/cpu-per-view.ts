// `node --conditions=react-server --import tsx bench/cpu-per-view.ts` (issue #20 item 2): what one
// view of the overview and the rollout page costs in CPU time, split between the server's Node
// processes and PostgreSQL's backends, next to what the page's data-access reads cost on their own
// (the part that lib/cache/page-data.ts shares between viewers: paid once a second, not per view).
// CPU time rather than latency, so the answer holds on a machine other work is also using.
// Needs a production build in BENCH_DIST_DIR (default .next-bench); seeds its own database.
// Options: --devices N (5000) --views N (200 per page)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { dropDatabase, recreateDatabase } from "@/db/admin";
import { openPostgres, queryRows, useDbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import type { Actor } from "@/lib/auth/actor";
import { getRolloutDashboard } from "@/lib/dashboards/queries";
import { impactForRollout } from "@/lib/known-issues/impact";
import { getOverview } from "@/lib/overview/queries";
import { mediaStatusForRollout } from "@/lib/rollouts/media";
import { getRolloutDetail } from "@/lib/rollouts/queries";
import { seedDemo } from "@/lib/seed/demo";
import { seedScale } from "@/lib/seed/scale";
import { signIn, startServer } from "./server";

const { values } = parseArgs({ options: { devices: { type: "string", default: "5000" }, views: { type: "string", default: "200" } }, strict: true });
const root = path.resolve(import.meta.dirname, "..");
const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const NAME = process.env.BENCH_DATABASE_NAME || "rollcall_bench_cpu";
const system: Actor = { kind: "system", label: "bench" };
const TICK_MS = 1000 / 100; // USER_HZ: /proc reports CPU time in 1/100 s

/** CPU milliseconds (user + system) of `pids` and everything below them, from /proc. */
function cpuMs(pids: number[]): number {
  const byParent = new Map<number, number[]>();
  const times = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
      times.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // ended meanwhile
    }
  }
  let total = 0;
  const stack = [...pids];
  while (stack.length) {
    const pid = stack.pop()!;
    total += times.get(pid) ?? 0;
    stack.push(...(byParent.get(pid) ?? []));
  }
  return total;
}

/** CPU ms of one process, or undefined once it has ended. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/**
 * CPU of the PostgreSQL backends serving this benchmark's database while it runs, including backends
 * that connect or end meanwhile (pools close idle connections after 30 s): their process titles name
 * the database; polled every 50 ms, each backend's last reading counts.
 */
function pgCpu(database: string) {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const poll = (initial: boolean) => {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (!last.has(pid)) {
        let title = "";
        try {
          title = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          continue;
        }
        if (!title.startsWith("postgres:") || !title.includes(` ${database} `)) continue;
      }
      const cpu = processCpuMs(pid);
      if (cpu === undefined) continue;
      if (!first.has(pid)) first.set(pid, initial ? cpu : 0);
      last.set(pid, cpu);
    }
  };
  poll(true);
  const timer = setInterval(() => poll(false), 50);
  return {
    stop: () => {
      clearInterval(timer);
      poll(false);
      let total = 0;
      for (const [pid, cpu] of last) total += cpu - (first.get(pid) ?? 0);
      return total;
    },
  };
}

async function main() {
  const views = Number(values.views);
  const url = await recreateDatabase(adminUrl, NAME);
  const handle = openPostgres(url, { max: 2, applicationName: "rollcall-bench-cpu" });
  useDbHandle(handle);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await migrateDatabase(handle);
    const { logins } = await seedDemo(handle.db);
    await seedScale(handle.db, Number(values.devices));
    await handle.db.execute(sql`vacuum analyze`);
    const [rollout] = await queryRows<{ id: number }>(handle.db, sql`select id from rollouts order by id desc limit 1`);
    const distDir = process.env.BENCH_DIST_DIR || ".next-bench";
    // One server process, so every view lands in the process measured.
    server = await startServer({ root, distDir, port: Number(process.env.BENCH_PORT || 3400), env: { DATABASE_URL: url, WEB_CONCURRENCY: "1", DATABASE_POOL_MAX: "4" } });
    const viewer = logins.find((l) => l.role === "viewer")!;
    const cookie = await signIn(server.base, viewer.email, viewer.password);
    const pages = [
      {
        name: "overview /",
        path: "/",
        reads: () => getOverview(system),
      },
      {
        name: `rollout /rollouts/${rollout.id}`,
        path: `/rollouts/${rollout.id}`,
        reads: () => Promise.all([getRolloutDetail(system, rollout.id), mediaStatusForRollout(system, rollout.id), getRolloutDashboard(system, rollout.id)]),
      },
    ];
    const lines: string[] = [];
    for (const page of pages) {
      const get = async () => {
        const res = await fetch(`${server!.base}${page.path}`, { headers: { cookie } });
        if (!res.ok) throw new Error(`${page.path} answered ${res.status}`);
        await res.arrayBuffer();
      };
      for (let i = 0; i < 20; i++) await get(); // warm-up: JIT, plans, the session cache
      const pg = pgCpu(NAME);
      const node0 = cpuMs([server.process.pid!]);
      const t0 = performance.now();
      for (let i = 0; i < views; i++) await get();
      const seconds = (performance.now() - t0) / 1000;
      const nodePerView = (cpuMs([server.process.pid!]) - node0) / views;
      const pgPerView = pg.stop() / views;

      // The page's data-access reads on their own, in this process: what sharing saves per view.
      for (let i = 0; i < 10; i++) await page.reads();
      const ownPg = pgCpu(NAME);
      const mine0 = process.cpuUsage();
      for (let i = 0; i < views; i++) await page.reads();
      const mine = process.cpuUsage(mine0);
      const readsNode = (mine.user + mine.system) / 1000 / views;
      const readsPg = ownPg.stop() / views;
      lines.push(
        `${page.name}: ${(nodePerView + pgPerView).toFixed(1)} ms CPU per view (Node ${nodePerView.toFixed(1)}, PostgreSQL ${pgPerView.toFixed(1)}; ` +
          `${views} sequential views in ${seconds.toFixed(1)} s, page data shared); its data-access reads alone: ${(readsNode + readsPg).toFixed(1)} ms ` +
          `(Node ${readsNode.toFixed(1)}, PostgreSQL ${readsPg.toFixed(1)}), paid once a second instead of per view`,
      );
      console.log(lines.at(-1));
    }
    // The rollout page's impact analysis (counted at most every 30 s per process): one count's CPU.
    const ownPg = pgCpu(NAME);
    const mine0 = process.cpuUsage();
    const t0 = performance.now();
    await impactForRollout(system, rollout.id);
    const mine = process.cpuUsage(mine0);
    console.log(`one impact count of rollout ${rollout.id}: ${(performance.now() - t0).toFixed(0)} ms, CPU Node ${((mine.user + mine.system) / 1000).toFixed(0)} ms, PostgreSQL ${ownPg.stop().toFixed(0)} ms`);
    console.log(`\n${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; CPU time is counted in 10 ms ticks, over ${views} views`);
  } finally {
    await server?.stop();
    await handle.close();
    await dropDatabase(adminUrl, NAME).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
