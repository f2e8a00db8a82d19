"use client";
// The update page's charts, refreshed every 15 s from GET /api/v1/updates/{slug}/adoption: adoption
// over time and per-state bars by site, OS and department, all from the summary tables.
import { AdoptionChart } from "@/components/charts/adoption-chart";
import { formatNumber } from "@/lib/format";
import { StateBarsChart } from "@/components/charts/state-bars-chart";
import { LiveProvider } from "@/components/live/live-provider";
import { LiveStatus } from "@/components/live/live-status";
import { useLive } from "@/components/live/use-live";
import { Card } from "@/components/ui/card";
import type { UpdateDashboard } from "@/lib/dashboards/queries";

function UpdateChartsBody({ slug, initial }: { slug: string; initial: UpdateDashboard }) {
  const live = useLive("update-dashboard", `/api/v1/updates/${encodeURIComponent(slug)}/adoption`, initial);
  const data = live.data ?? initial;
  const t = data.totals;
  return (
    <Card title="Adoption charts">
      <LiveStatus updatedAt={data.generatedAt} error={live.isError} />
      <div className="mt-3 space-y-8">
        <AdoptionChart points={data.adoption} inScope={t.inScope} />
        <div className="grid gap-8 lg:grid-cols-2">
          <StateBarsChart
            title="Deployment states by site"
            description={`One bar per site, stacked by state; ${formatNumber(t.installed)} of ${formatNumber(t.inScope)} devices in scope installed, ${formatNumber(t.notApplicable)} not applicable (nothing to install).`}
            rows={data.bySite}
            rowHeader="Site"
            testId="by-site-chart"
          />
          <StateBarsChart
            title="Deployment states by operating system"
            description="One bar per operating system, stacked by state. Machines the update does not apply to (e.g. Windows 2000) show as not applicable, never as failures."
            rows={data.byOs}
            rowHeader="Operating system"
            testId="by-os-chart"
          />
          <StateBarsChart
            title="Deployment states by department"
            description="One bar per department, stacked by state."
            rows={data.byDepartment}
            rowHeader="Department"
            testId="by-department-chart"
          />
        </div>
      </div>
    </Card>
  );
}

export function UpdateCharts(props: { slug: string; initial: UpdateDashboard }) {
  return (
    <LiveProvider>
      <UpdateChartsBody {...props} />
    </LiveProvider>
  );
}
