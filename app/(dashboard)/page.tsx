import { RolloutCard } from "@/components/overview/rollout-card";
import { EmptyState } from "@/components/ui/card";
import { getPageActor } from "@/lib/auth/session";
import { getOverview } from "@/lib/overview/queries";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const overview = await getOverview(await getPageActor());
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Overview</h1>
      {overview.haltedWaves.map(({ rollout, wave }) => (
        <div key={wave.id} role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <strong>{wave.name}</strong> of {rollout.name} is halted{wave.haltReason ? `: ${wave.haltReason}` : "."}
        </div>
      ))}
      {overview.rollouts.length === 0 ? (
        <EmptyState>No rollouts yet. Create an update and plan its first wave.</EmptyState>
      ) : (
        overview.rollouts.map((rollout) => <RolloutCard key={rollout.id} rollout={rollout} />)
      )}
    </div>
  );
}
