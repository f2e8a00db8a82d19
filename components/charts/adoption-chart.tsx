"use client";
// Adoption over time: the cumulative number of devices with the update installed, by the day the
// install was reported (adoption_daily), against the devices in scope today.
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AdoptionPoint } from "@/lib/dashboards/series";
import { axisTick, ChartFrame, chartTableClass, fmt, fmtPct, tooltipStyle } from "./chart-frame";

const TABLE_ROWS = 100;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const shortDate = (ms: number) => new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "2-digit", timeZone: "UTC" });

export function AdoptionChart({ title = "Adoption over time", points, inScope, height = 260 }: { title?: string; points: AdoptionPoint[]; inScope: number; height?: number }) {
  const last = points.at(-1);
  const pctOf = (n: number) => (inScope > 0 ? (n * 100) / inScope : null);
  const description = last
    ? `Devices with the update installed, cumulative by day, from ${points[0].day} to ${last.day}: ${fmt(last.cumulative)} installed of ${fmt(inScope)} in scope (${fmtPct(pctOf(last.cumulative))}).`
    : "Devices with the update installed, cumulative by day.";
  const data = points.map((p) => ({ t: dayMs(p.day), cumulative: p.cumulative, installed: p.installed }));
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
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--c-grid)" strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={shortDate} tick={axisTick} stroke="var(--c-grid)" minTickGap={24} />
            <YAxis tick={axisTick} stroke="var(--c-grid)" width={56} allowDecimals={false} domain={[0, (max: number) => Math.max(max, inScope)]} tickFormatter={(v: number) => fmt(v)} />
            <Tooltip {...tooltipStyle} labelFormatter={(v) => shortDate(Number(v))} formatter={(v) => [fmt(Number(v)), "Installed (cumulative)"]} />
            {inScope > 0 ? <ReferenceLine y={inScope} stroke="var(--c-gate)" strokeDasharray="6 4" label={{ value: `In scope: ${fmt(inScope)}`, position: "insideTopLeft", fill: "currentColor", fontSize: 12 }} /> : null}
            <Line type="stepAfter" dataKey="cumulative" name="Installed (cumulative)" stroke="var(--c-installed)" strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      }
      table={
        <table className={chartTableClass}>
          <caption className="sr-only">
            {title}: installs per day and running total{points.length > TABLE_ROWS ? `, the latest ${TABLE_ROWS} days with installs` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Installed that day</th>
              <th scope="col">Installed in total</th>
              <th scope="col">Of in scope</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((p) => (
              <tr key={p.day}>
                <th scope="row" className="font-normal">
                  <time dateTime={p.day}>{p.day}</time>
                </th>
                <td className="tabular-nums">{fmt(p.installed)}</td>
                <td className="tabular-nums">{fmt(p.cumulative)}</td>
                <td className="tabular-nums">{fmtPct(pctOf(p.cumulative))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
