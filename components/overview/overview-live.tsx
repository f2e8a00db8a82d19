"use client";
import { LiveProvider } from "@/components/live/live-provider";
import { LiveStatus } from "@/components/live/live-status";
import { useLive } from "@/components/live/use-live";
import Link from "next/link";
import { useMemo } from "react";
import { forecastSentence } from "@/components/rollouts/forecast-badge";
import { EmptyState } from "@/components/ui/card";
import type { Overview } from "@/lib/overview/queries";
import { KnownIssuesByStatus } from "./known-issues-by-status";
import { RolloutCard } from "./rollout-card";
import { UpdateTiles } from "./update-tiles";

function OverviewBody({ initial }: { initial: Overview }) {
  const live = useLive("overview", "/api/v1/overview", initial);
  const data = live.data ?? initial;
  const isError = live.isError;
  return (
    <div className="space-y-6">
      <LiveStatus updatedAt={data.generatedAt} error={isError} />
      {data.haltedWaves.map(({ rollout, wave }) => (
        <div key={wave.id} role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <strong>{wave.name}</strong> of {rollout.name} is halted{wave.haltReason ? `: ${wave.haltReason}` : "."}
        </div>
      ))}
      {data.deadlineRisks.length ? (
        <section aria-labelledby="deadline-risks" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-50" data-testid="deadline-risks">
          <h2 id="deadline-risks" className="font-semibold">
            {data.deadlineRisks.length === 1 ? "1 wave will miss its deadline" : `${data.deadlineRisks.length} waves will miss their deadline`}
          </h2>
          <ul className="mt-1 space-y-1 text-sm">
            {data.deadlineRisks.map(({ rollout, wave }) => (
              <li key={wave.id}>
                <Link href={`/rollouts/${rollout.id}`} className="font-medium underline">
                  {wave.name}
                </Link>{" "}
                of {rollout.name} ({wave.calendar.forecast.status === "late" ? "late" : "at risk"}): {forecastSentence(wave.calendar.forecast, wave.calendar.deadline, wave.calendar.complianceTarget)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.updates.length ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Tiles count machines, once per update with a draft or active rollout; a machine in the rollouts of two updates appears under each.
        </p>
      ) : null}
      {data.updates.map((update) => (
        <UpdateTiles key={update.slug} update={update} />
      ))}
      {data.rollouts.length === 0 ? (
        <EmptyState>No rollouts yet. Create an update and plan its first wave.</EmptyState>
      ) : (
        data.rollouts.map((rollout) => <RolloutCard key={rollout.id} rollout={rollout} />)
      )}
      <KnownIssuesByStatus counts={data.knownIssuesByStatus} />
    </div>
  );
}

/** `initialJson`: the overview as JSON (lib/cache/shared-json.ts), the shape GET /api/v1/overview answers. */
export function OverviewLive({ initialJson }: { initialJson: string }) {
  const initial = useMemo(() => JSON.parse(initialJson) as Overview, [initialJson]);
  return (
    <LiveProvider>
      <OverviewBody initial={initial} />
    </LiveProvider>
  );
}
