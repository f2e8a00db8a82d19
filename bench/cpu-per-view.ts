// `node --conditions=react-server --import tsx bench/cpu-per-view.ts` (issue #20 item 2): what one
// view of the overview and the rollout page costs in CPU time, split between the server's Node
// processes and PostgreSQL's backends, next to what the page's data-access reads cost on their own
// (the part that lib/cache/page-data.ts shares between viewers: paid once a second, not per view).
// CPU time rather than latency, so the answer holds on a machine other work is also using.
// Needs a production build in BENCH_DIST_DIR (default .next-bench); seeds its own database.
// Options: --devices N (5000) --views N (200 per page) --cpu-prof DIR (also write each page's server
// profile to DIR/<page>/, then: node --import tsx bench/cpuprofile-summary.ts DIR/<page>)
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
import { cpuMs, monotonicUs, pgCpu } from "./proc-cpu";
import { signIn, startServer } from "./server";

const { values } = parseArgs({
  options: { devices: { type: "string", default: "5000" }, views: { type: "string", default: "200" }, "cpu-prof": { type: "string" } },
  strict: true,
});
const root = path.resolve(import.meta.dirname, "..");
const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const NAME = process.env.BENCH_DATABASE_NAME || "rollcall_bench_cpu";
const system: Actor = { kind: "system", label: "bench" };

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
    const profileRoot = values["cpu-prof"] ? path.resolve(values["cpu-prof"]) : undefined;
    const viewer = logins.find((l) => l.role === "viewer")!;
    const pages = [
      {
        name: "overview /",
        slug: "overview",
        path: "/",
        reads: () => getOverview(system),
      },
      {
        name: `rollout /rollouts/${rollout.id}`,
        slug: "rollout",
        path: `/rollouts/${rollout.id}`,
        reads: () => Promise.all([getRolloutDetail(system, rollout.id), mediaStatusForRollout(system, rollout.id), getRolloutDashboard(system, rollout.id)]),
      },
    ];
    const lines: string[] = [];
    for (const page of pages) {
      // A server per page, with one process, so every view lands in the process measured (and, with
      // --cpu-prof, in the profile it writes on exit: bench/cpuprofile-summary.ts reads it).
      const profileDir = profileRoot ? path.join(profileRoot, page.slug) : undefined;
      if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
      server = await startServer({
        root,
        distDir,
        port: Number(process.env.BENCH_PORT || 3400),
        env: {
          DATABASE_URL: url,
          WEB_CONCURRENCY: "1",
          DATABASE_POOL_MAX: "4",
          ...(profileDir ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(root, "bench/cpu-prof-hook.cjs")}`.trim(), CPU_PROF_DIR: profileDir } : {}),
        },
      });
      const cookie = await signIn(server.base, viewer.email, viewer.password);
      const get = async () => {
        const res = await fetch(`${server!.base}${page.path}`, { headers: { cookie } });
        if (!res.ok) throw new Error(`${page.path} answered ${res.status}`);
        await res.arrayBuffer();
      };
      for (let i = 0; i < 20; i++) await get(); // warm-up: JIT, plans, the session cache
      const pg = pgCpu(NAME);
      const node0 = cpuMs([server.process.pid!]);
      const t0 = performance.now();
      const window0 = monotonicUs();
      for (let i = 0; i < views; i++) await get();
      const window1 = monotonicUs();
      const seconds = (performance.now() - t0) / 1000;
      const nodePerView = (cpuMs([server.process.pid!]) - node0) / views;
      const pgPerView = pg.stop() / views;
      await server.stop();
      server = undefined;
      // The measured window on the monotonic clock V8's profiles use, for cpuprofile-summary.ts --window.
      if (profileDir) fs.writeFileSync(path.join(profileDir, "window.json"), JSON.stringify({ fromUs: window0, toUs: window1, views }));

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
