"use client";
// Per-state bars by department; the rows arrive as a promise the page streams (see update-charts.tsx).
import { use } from "react";
import { StateBarsChart } from "@/components/charts/state-bars-chart";
import type { DepartmentBreakdown } from "@/lib/dashboards/queries";

export function DepartmentChart({ breakdown }: { breakdown: Promise<DepartmentBreakdown> }) {
  const { asOf, rows } = use(breakdown);
  const time = new Date(asOf).toLocaleTimeString("en-GB", { timeZone: "UTC" });
  return (
    <StateBarsChart
      title="Deployment states by department"
      description={`One bar per department, stacked by state; counted at ${time} UTC from the same summary table as the other charts, exact when the page loaded (reload to refresh).`}
      rows={rows}
      rowHeader="Department"
      testId="by-department-chart"
    />
  );
}
