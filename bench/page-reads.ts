// `DATABASE_URL=… node --conditions=react-server --import tsx bench/page-reads.ts [--runs N] [--rollout ID]`
// (issue #20 item 3): each data-access read behind the overview, rollout, device and search pages timed on
// its own against an already-seeded database (e.g. one made with `rollcall db seed --scale N`), so a read
// whose cost grows with the fleet shows up at 100,000 devices as well as at 1,000,000. Prints p50 / max per
// read; reads nothing it does not time and writes nothing.
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { getRolloutDashboard } from "@/lib/dashboards/queries";
import { impactForRollout } from "@/lib/known-issues/impact";
import { getOverview } from "@/lib/overview/queries";
import { readinessForRollout } from "@/lib/readiness/waves";
import { readWaveBuilds } from "@/lib/rollouts/build-mix";
import { mediaStatusForRollout } from "@/lib/rollouts/media";
import { getRolloutDetail } from "@/lib/rollouts/queries";
import { getSilentCounts } from "@/lib/rollouts/silent";
import { search } from "@/lib/search/search";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, rollout: { type: "string" } }, strict: true });
const system: Actor = { kind: "system", label: "bench" };

async function time(name: string, runs: number, read: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await read();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} p50 ${ms[Math.floor(ms.length / 2)].toFixed(1).padStart(8)} ms   max ${ms[ms.length - 1].toFixed(1).padStart(8)} ms`);
}

async function main() {
  const runs = Number(values.runs);
  const db = await getDb();
  const rolloutId = values.rollout
    ? Number(values.rollout)
    : (await queryRows<{ id: number }>(db, sql`select id from rollouts order by id desc limit 1`))[0].id;
  const [{ devices }] = await queryRows<{ devices: number }>(db, sql`select count(*)::int as devices from devices`);
  console.log(`${devices.toLocaleString("en")} devices; rollout ${rolloutId}; ${runs} runs per read`);
  await time("overview: getOverview", runs, () => getOverview(system));
  await time("rollout: getRolloutDetail", runs, () => getRolloutDetail(system, rolloutId));
  await time("rollout: getRolloutDashboard", runs, () => getRolloutDashboard(system, rolloutId));
  await time("rollout: getSilentCounts", runs, () => getSilentCounts(system, rolloutId));
  await time("rollout: readWaveBuilds", runs, () => readWaveBuilds(system, rolloutId));
  await time("rollout: mediaStatusForRollout (30 s share)", runs, () => mediaStatusForRollout(system, rolloutId));
  await time("rollout: readinessForRollout (30 s share)", runs, () => readinessForRollout(system, rolloutId, "planned"));
  await time("rollout: impactForRollout (30 s share)", runs, () => impactForRollout(system, rolloutId));
  for (const q of ["SCALE-049001", "SCALE-0490", "SACLE-049001", "microsoft", "0x800F0922", "KB835935"]) {
    await time(`search: ${q}`, runs, () => search(system, q));
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
