"use client";
import { LiveProvider } from "@/components/live/live-provider";
import { LiveStatus } from "@/components/live/live-status";
import { useLive } from "@/components/live/use-live";
import { EmptyState, Stat } from "@/components/ui/card";
import type { Overview } from "@/lib/overview/queries";
import { KnownIssuesByStatus } from "./known-issues-by-status";
import { RolloutCard } from "./rollout-card";

const fmt = (n: number) => n.toLocaleString("en");
const pct = (n: number | null) => (n === null ? "–" : `${n.toFixed(1)} %`);

function OverviewBody({ initial }: { initial: Overview }) {
  const live = useLive("overview", "/api/v1/overview", initial);
  const data = live.data ?? initial;
  const isError = live.isError;
  const t = data.totals;
  return (
    <div className="space-y-6">
      <LiveStatus updatedAt={data.generatedAt} error={isError} />
      {data.haltedWaves.map(({ rollout, wave }) => (
        <div key={wave.id} role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <strong>{wave.name}</strong> of {rollout.name} is halted{wave.haltReason ? `: ${wave.haltReason}` : "."}
        </div>
      ))}
      <section aria-label="Totals of the active rollouts" className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat label="Devices in scope" value={<span data-testid="tile-in-scope">{fmt(t.inScope)}</span>} />
        <Stat label="Installed" value={<span data-testid="tile-installed">{pct(t.installedPct)}</span>} hint={`${fmt(t.installed)} devices`} />
        <Stat label="Failed or rolled back" value={<span data-testid="tile-failed">{fmt(t.failed + t.rolledBack)}</span>} />
        <Stat label="Held by a known issue" value={<span data-testid="tile-held">{fmt(t.held)}</span>} />
        <Stat label="Not applicable" value={<span data-testid="tile-not-applicable">{fmt(t.notApplicable)}</span>} hint="e.g. Windows 2000: stays as it is, counts as compliant" />
      </section>
      {data.rollouts.length === 0 ? (
        <EmptyState>No rollouts yet. Create an update and plan its first wave.</EmptyState>
      ) : (
        data.rollouts.map((rollout) => <RolloutCard key={rollout.id} rollout={rollout} />)
      )}
      <KnownIssuesByStatus counts={data.knownIssuesByStatus} />
    </div>
  );
}

export function OverviewLive({ initial }: { initial: Overview }) {
  return (
    <LiveProvider>
      <OverviewBody initial={initial} />
    </LiveProvider>
  );
}
