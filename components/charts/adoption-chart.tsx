"use client";
// Adoption over time: the cumulative number of devices with the update installed, by the day the
// install was reported (adoption_daily), against the devices in scope today. Both axes are titled
// and the date ticks fall evenly on days or on the first of the month (date-ticks.ts).
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AdoptionPoint } from "@/lib/dashboards/series";
import { Table, Td, Th } from "@/components/ui/table";
import { formatNumber, formatPercent } from "@/lib/format";
import { axisTick, ChartFrame, tooltipStyle } from "./chart-frame";
import { dateTicks } from "./date-ticks";

const TABLE_ROWS = 100;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const shortDate = (ms: number) => new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "2-digit", timeZone: "UTC" });

export function AdoptionChart({ title = "Adoption over time", points, inScope, height = 260 }: { title?: string; points: AdoptionPoint[]; inScope: number; height?: number }) {
  const last = points.at(-1);
  const pctOf = (n: number) => (inScope > 0 ? (n * 100) / inScope : null);
  const description = last
    ? `Devices with the update installed, cumulative by day, from ${points[0].day} to ${last.day}: ${formatNumber(last.cumulative)} installed of ${formatNumber(inScope)} in scope (${formatPercent(pctOf(last.cumulative))}).`
    : "Devices with the update installed, cumulative by day.";
  const data = points.map((p) => ({ t: dayMs(p.day), cumulative: p.cumulative, installed: p.installed }));
  const xTicks = data.length ? dateTicks(data[0].t, data[data.length - 1].t) : null;
  const recent = points.slice(-TABLE_ROWS).reverse();
  return (
    <ChartFrame
      title={title}
      description={description}
      height={height}
      testId="adoption-chart"
      empty={points.length === 0 ? "No installs reported yet." : null}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--c-grid)" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              ticks={xTicks?.ticks}
              tickFormatter={xTicks?.label}
              interval="equidistantPreserveStart"
              tick={axisTick}
              stroke="var(--c-grid)"
              height={40}
              label={{ value: "Day the install was reported (UTC)", position: "insideBottom", offset: 0, fill: "currentColor", fontSize: 12 }}
            />
            <YAxis
              tick={axisTick}
              stroke="var(--c-grid)"
              width={72}
              allowDecimals={false}
              domain={[0, (max: number) => Math.max(max, inScope)]}
              tickFormatter={(v: number) => formatNumber(v)}
              label={{ value: "Devices installed", angle: -90, position: "insideLeft", style: { textAnchor: "middle" }, fill: "currentColor", fontSize: 12 }}
            />
            <Tooltip {...tooltipStyle} labelFormatter={(v) => shortDate(Number(v))} formatter={(v) => [formatNumber(Number(v)), "Installed (cumulative)"]} />
            {inScope > 0 ? <ReferenceLine y={inScope} stroke="var(--c-gate)" strokeDasharray="6 4" label={{ value: `In scope: ${formatNumber(inScope)}`, position: "insideTopLeft", fill: "currentColor", fontSize: 12 }} /> : null}
            <Line type="stepAfter" dataKey="cumulative" name="Installed (cumulative)" stroke="var(--c-installed)" strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      }
      table={
        <Table stickyHeader caption={`${title}: installs per day and running total${points.length > TABLE_ROWS ? `, the latest ${TABLE_ROWS} days with installs` : ""}`}>
          <thead>
            <tr>
              <Th>Day</Th>
              <Th numeric>Installed that day</Th>
              <Th numeric>Installed in total</Th>
              <Th numeric>Of in scope</Th>
            </tr>
          </thead>
          <tbody>
            {recent.map((p) => (
              <tr key={p.day}>
                <Th scope="row">
                  <time dateTime={p.day}>{p.day}</time>
                </Th>
                <Td numeric>{formatNumber(p.installed)}</Td>
                <Td numeric>{formatNumber(p.cumulative)}</Td>
                <Td numeric>{formatPercent(pctOf(p.cumulative))}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      }
    />
  );
}
