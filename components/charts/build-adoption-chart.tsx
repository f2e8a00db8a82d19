"use client";
// Installed machines per build over time (issue #17): one cumulative line per build (adoption_daily
// by build), with the same numbers as a table. Colours follow the light/dark CSS variables.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Table, Td, Th } from "@/components/ui/table";
import { formatNumber } from "@/lib/format";
import type { BuildAdoption } from "@/lib/updates/adoption-by-build";
import { axisTick, ChartFrame, legendProps, tooltipStyle } from "./chart-frame";
import { dateTicks } from "./date-ticks";

const TABLE_ROWS = 100;
const COLOURS = ["var(--c-waiting)", "var(--c-in-progress)", "var(--c-installed)", "var(--c-rolled-back)", "var(--c-reboot)", "var(--c-failed)"];
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const shortDate = (ms: number) => new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "2-digit", timeZone: "UTC" });

export function BuildAdoptionChart({ adoption, height = 260 }: { adoption: BuildAdoption; height?: number }) {
  const title = "Installed machines per build";
  const { builds, points } = adoption;
  const last = points.at(-1);
  const description = last
    ? `Machines installed on each build, cumulative by the day the install was reported, to ${last.day}: ${builds.map((b) => `${b.label} ${formatNumber(last.cumulative[b.key] ?? 0)}`).join(", ")}.`
    : "Machines installed on each build, cumulative by day.";
  const data = points.map((p) => ({ t: dayMs(p.day), ...p.cumulative }));
  const xTicks = data.length ? dateTicks(data[0].t, data[data.length - 1].t) : null;
  const recent = points.slice(-TABLE_ROWS).reverse();
  return (
    <ChartFrame
      title={title}
      description={description}
      height={height}
      testId="build-adoption-chart"
      empty={points.length === 0 ? "No installs reported yet." : null}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--c-grid)" strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} ticks={xTicks?.ticks} tickFormatter={xTicks?.label} tick={axisTick} stroke="var(--c-grid)" height={30} />
            <YAxis tick={axisTick} stroke="var(--c-grid)" width={72} allowDecimals={false} tickFormatter={(v: number) => formatNumber(v)} label={{ value: "Machines installed", angle: -90, position: "insideLeft", style: { textAnchor: "middle" }, fill: "currentColor", fontSize: 12 }} />
            <Tooltip {...tooltipStyle} labelFormatter={(v) => shortDate(Number(v))} formatter={(v, name) => [formatNumber(Number(v)), String(name)]} />
            <Legend {...legendProps} />
            {builds.map((b, i) => (
              <Line key={b.key} type="stepAfter" dataKey={b.key} name={b.label} stroke={COLOURS[i % COLOURS.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      }
      table={
        <Table stickyHeader caption={`${title}: running totals by day${points.length > TABLE_ROWS ? `, the latest ${TABLE_ROWS} days with installs` : ""}`}>
          <thead>
            <tr>
              <Th>Day</Th>
              {builds.map((b) => (
                <Th key={b.key} numeric>
                  {b.label}
                </Th>
              ))}
              <Th numeric>All builds</Th>
            </tr>
          </thead>
          <tbody>
            {recent.map((p) => (
              <tr key={p.day}>
                <Th scope="row">
                  <time dateTime={p.day}>{p.day}</time>
                </Th>
                {builds.map((b) => (
                  <Td key={b.key} numeric>
                    {formatNumber(p.cumulative[b.key] ?? 0)}
                  </Td>
                ))}
                <Td numeric>{formatNumber(p.total)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      }
    />
  );
}
