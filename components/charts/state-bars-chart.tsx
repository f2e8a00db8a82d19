"use client";
// Stacked bars of deployment states per row (a site, an OS, a department or a wave): one bar per
// row, one stack per state group (lib/dashboards/series.ts), Okabe–Ito colours.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { STATE_SERIES, type StateGroupCounts } from "@/lib/dashboards/series";
import { Table, Td, Th } from "@/components/ui/table";
import { formatNumber } from "@/lib/format";
import { axisTick, ChartFrame, legendProps, tooltipStyle } from "./chart-frame";

export type StateBarsRow = { label: string; total: number } & StateGroupCounts;

/** Bars stay readable with many rows: the box grows with the row count known at first render. */
export const stateBarsHeight = (rows: number) => Math.min(520, Math.max(180, rows * 34 + 80));

export function StateBarsChart({
  title,
  description,
  rows,
  rowHeader,
  height,
  testId,
  empty = "No deployments yet.",
}: {
  title: string;
  description: string;
  rows: StateBarsRow[];
  /** Column heading of the row labels in the table, e.g. "Site". */
  rowHeader: string;
  height?: number;
  testId?: string;
  empty?: string;
}) {
  const series = STATE_SERIES.filter((s) => rows.some((r) => r[s.key] > 0));
  const longest = rows.reduce((n, r) => Math.max(n, r.label.length), 0);
  return (
    <ChartFrame
      title={title}
      description={description}
      height={height ?? stateBarsHeight(rows.length)}
      testId={testId}
      empty={rows.length === 0 || rows.every((r) => r.total === 0) ? empty : null}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }} barCategoryGap="20%" accessibilityLayer={false}>
            <CartesianGrid stroke="var(--c-grid)" strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" tick={axisTick} stroke="var(--c-grid)" allowDecimals={false} tickFormatter={(v: number) => formatNumber(v)} />
            <YAxis type="category" dataKey="label" tick={axisTick} stroke="var(--c-grid)" width={Math.min(180, Math.max(60, longest * 7 + 8))} interval={0} />
            <Tooltip {...tooltipStyle} cursor={{ fill: "var(--c-grid)", opacity: 0.4 }} formatter={(v, name) => [formatNumber(Number(v)), name]} />
            <Legend {...legendProps} />
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} stackId="states" fill={s.colour} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <Table stickyHeader caption={title}>
          <thead>
            <tr>
              <Th>{rowHeader}</Th>
              {series.map((s) => (
                <Th key={s.key} numeric>
                  {s.label}
                </Th>
              ))}
              <Th numeric>Total</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <Th scope="row">{r.label}</Th>
                {series.map((s) => (
                  <Td key={s.key} numeric>
                    {formatNumber(r[s.key])}
                  </Td>
                ))}
                <Td numeric>{formatNumber(r.total)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      }
    />
  );
}
