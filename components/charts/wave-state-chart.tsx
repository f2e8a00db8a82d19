"use client";
// Per-wave stacked state bars for a rollout page.
import type { WaveChartRow } from "@/lib/dashboards/series";
import { formatNumber } from "@/lib/format";
import { StateBarsChart } from "./state-bars-chart";

export function WaveStateChart({ waves }: { waves: WaveChartRow[] }) {
  const rows = waves.map((w) => ({ ...w, label: w.name }));
  const installed = waves.reduce((n, w) => n + w.installed, 0);
  const failed = waves.reduce((n, w) => n + w.failed + w.rolledBack, 0);
  const held = waves.reduce((n, w) => n + w.held, 0);
  return (
    <StateBarsChart
      title="Deployment states per wave"
      description={`One bar per wave, stacked by deployment state. Across the waves: ${formatNumber(installed)} installed, ${formatNumber(failed)} failed or rolled back, ${formatNumber(held)} held by a known issue.`}
      rows={rows}
      rowHeader="Wave"
      testId="wave-state-chart"
      empty="This rollout has no devices in its waves yet."
    />
  );
}
