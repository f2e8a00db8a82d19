// `rollcall db verify-summaries [--repair]`: compares the dashboard's summary tables with a GROUP BY
// over the deployments, prints the drift, and with --repair rebuilds them. Exit 0 when they agree
// (or were repaired), 1 when drift was found and left alone.
import type { Db } from "@/db/client";
import { driftCount, verifySummaries } from "@/lib/deployments/summaries";
import type { CliContext } from "../cli-context";

const SHOWN = 20;

export async function runVerifySummaries(db: Db, options: { repair: boolean }, ctx: Pick<CliContext, "out" | "err">): Promise<number> {
  const report = await verifySummaries(db, { repair: options.repair });
  const drift = driftCount(report);
  if (drift === 0) {
    ctx.out("Summaries agree with the deployments: no drift.");
    return 0;
  }
  ctx.out(`Drift: ${report.countDrift.length} deployment count row(s), ${report.adoptionDrift.length} adoption day(s), ${report.signalDrift.length} wave signal row(s) differ from the deployments.`);
  for (const row of report.countDrift.slice(0, SHOWN)) {
    ctx.out(
      `  counts  update ${row.updateId} rollout ${row.rolloutId} wave ${row.waveId} site ${row.siteId} dept ${row.departmentId} ${row.osName} ${row.state}: stored ${row.stored}, expected ${row.expected}`,
    );
  }
  for (const row of report.adoptionDrift.slice(0, SHOWN)) {
    ctx.out(`  adoption  update ${row.updateId} ${row.day}: stored ${row.stored}, expected ${row.expected}`);
  }
  for (const row of report.signalDrift.slice(0, SHOWN)) {
    ctx.out(`  signals  wave ${row.waveId} ${row.signal} ${row.value} ${row.state}: stored ${row.stored}, expected ${row.expected}`);
  }
  if (drift > 3 * SHOWN) ctx.out("  …");
  if (report.repaired) {
    ctx.out("Repaired: the summary tables were rebuilt from the deployments.");
    return 0;
  }
  ctx.err("Run `rollcall db verify-summaries --repair` to rebuild them.");
  return 1;
}
