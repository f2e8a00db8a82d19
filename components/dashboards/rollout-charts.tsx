"use client";
// The rollout page's charts and problem lists, refreshed every 15 s from
// GET /api/v1/rollouts/{id}/dashboard, plus the CSV export of its devices.
import { Suspense, useMemo } from "react";
import { FailureRateChart } from "@/components/charts/failure-rate-chart";
import { WaveStateChart } from "@/components/charts/wave-state-chart";
import { LiveProvider } from "@/components/live/live-provider";
import { LiveStatus } from "@/components/live/live-status";
import { useLive } from "@/components/live/use-live";
import { Card } from "@/components/ui/card";
import type { RolloutDashboard } from "@/lib/dashboards/queries";
import { DevicesCsvExport } from "./devices-csv-export";
import { TopProblems } from "./top-problems";

function RolloutChartsBody({ initial }: { initial: RolloutDashboard }) {
  const live = useLive("rollout-dashboard", `/api/v1/rollouts/${initial.rollout.id}/dashboard`, initial);
  const data = live.data ?? initial;
  return (
    <>
      <Card title="Progress and health">
        <LiveStatus updatedAt={data.generatedAt} error={live.isError} />
        <div className="mt-3 grid gap-8 lg:grid-cols-2">
          <WaveStateChart waves={data.waves} />
          <FailureRateChart rates={data.rates} />
        </div>
      </Card>
      <Card title="What broke">
        <TopProblems errorCodes={data.topErrorCodes} alerts={data.alerts} updateSlug={data.rollout.update.slug} />
      </Card>
      <Card title="Export devices">
        <Suspense fallback={null}>
          <DevicesCsvExport rolloutId={data.rollout.id} options={data.filterOptions} />
        </Suspense>
      </Card>
    </>
  );
}

/** `initialJson`: the dashboard as JSON (lib/cache/shared-json.ts), the shape its API route answers. */
export function RolloutCharts({ initialJson }: { initialJson: string }) {
  const initial = useMemo(() => JSON.parse(initialJson) as RolloutDashboard, [initialJson]);
  return (
    <LiveProvider>
      <div className="space-y-6">
        <RolloutChartsBody initial={initial} />
      </div>
    </LiveProvider>
  );
}
