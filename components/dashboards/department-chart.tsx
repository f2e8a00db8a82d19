"use client";
// Per-state bars by department; the rows arrive as a promise the page streams (see update-charts.tsx).
import { use } from "react";
import { StateBarsChart } from "@/components/charts/state-bars-chart";
import type { BreakdownRow } from "@/lib/dashboards/series";

export function DepartmentChart({ rows }: { rows: Promise<BreakdownRow[]> }) {
  return (
    <StateBarsChart
      title="Deployment states by department"
      description="One bar per department, stacked by state (read when the page loads; it does not refresh live)."
      rows={use(rows)}
      rowHeader="Department"
      testId="by-department-chart"
    />
  );
}
