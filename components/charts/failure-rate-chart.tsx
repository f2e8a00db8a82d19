"use client";
// Failure and rollback rate per wave (of attempted devices) against each wave's gate limit: the
// bars stack failed + rolled back, the dashed line is the maximum the gate allows.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { WaveRate } from "@/lib/dashboards/series";
import { Table, Td, Th } from "@/components/ui/table";
import { formatNumber, formatPercent } from "@/lib/format";
import { axisTick, ChartFrame, legendProps, tooltipStyle } from "./chart-frame";

const GATE_LABELS: Record<string, string> = { waiting_for_data: "Waiting for data", in_progress: "In progress", passed: "Passed", breached: "Breached" };

export function FailureRateChart({ rates, height = 260 }: { rates: WaveRate[]; height?: number }) {
  const data = rates.map((r) => ({ name: r.name, failed: r.failedPct ?? 0, rolledBack: r.rolledBackPct ?? 0, limit: r.gateMaxFailurePct }));
  // A round top (multiple of 5) with five even ticks, a little above the highest bar or limit.
  const top = Math.ceil(Math.max(10, ...rates.map((r) => Math.max(r.failureRatePct ?? 0, r.gateMaxFailurePct) * 1.1)) / 5) * 5;
  const ticks = Array.from({ length: 6 }, (_, i) => (top * i) / 5);
  const breached = rates.filter((r) => r.gateStatus === "breached").map((r) => r.name);
  const description =
    `Failed and rolled-back devices as a share of those that attempted the update, per wave, against the gate's maximum (dashed line). ` +
    (breached.length ? `Gate breached in: ${breached.join(", ")}.` : "No gate is breached.");
  return (
    <ChartFrame
      title="Failure and rollback rate against the gate"
      description={description}
      height={height}
      testId="failure-rate-chart"
      empty={rates.length === 0 ? "This rollout has no waves yet." : null}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--c-grid)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={axisTick} stroke="var(--c-grid)" interval={0} />
            <YAxis tick={axisTick} stroke="var(--c-grid)" width={48} domain={[0, top]} ticks={ticks} tickFormatter={(v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)} %`} />
            <Tooltip {...tooltipStyle} formatter={(v, name) => [`${Number(v).toFixed(1)} %`, name]} />
            <Legend {...legendProps} />
            <Bar dataKey="failed" name="Failed" stackId="rate" fill="var(--c-failed)" isAnimationActive={false} />
            <Bar dataKey="rolledBack" name="Rolled back" stackId="rate" fill="var(--c-rolled-back)" isAnimationActive={false} />
            <Line dataKey="limit" name="Gate maximum" type="step" stroke="var(--c-gate)" strokeDasharray="6 4" strokeWidth={2} dot={{ r: 3, fill: "var(--c-gate)" }} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      }
      table={
        <Table stickyHeader caption="Failure and rollback rate per wave against the gate">
          <thead>
            <tr>
              <Th>Wave</Th>
              <Th numeric>Attempted</Th>
              <Th numeric>Failed</Th>
              <Th numeric>Rolled back</Th>
              <Th numeric>Failure rate</Th>
              <Th numeric>Gate maximum</Th>
              <Th>Gate</Th>
            </tr>
          </thead>
          <tbody>
            {rates.map((r) => (
              <tr key={r.waveId}>
                <Th scope="row">{r.name}</Th>
                <Td numeric>{formatNumber(r.attempted)}</Td>
                <Td numeric>{formatPercent(r.failedPct)}</Td>
                <Td numeric>{formatPercent(r.rolledBackPct)}</Td>
                <Td numeric>{formatPercent(r.failureRatePct)}</Td>
                <Td numeric>{r.gateMaxFailurePct} %</Td>
                <Td>{GATE_LABELS[r.gateStatus] ?? r.gateStatus}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      }
    />
  );
}
