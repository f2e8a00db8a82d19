import { RolloutList } from "@/components/rollouts/rollout-list";
import { Card, EmptyState } from "@/components/ui/card";
import { getPageActor } from "@/lib/auth/session";
import { listRollouts, progressOfRollouts } from "@/lib/rollouts/queries";

export const metadata = { title: "Rollouts" };

export default async function RolloutsPage({ searchParams }: { searchParams: Promise<{ update?: string }> }) {
  const actor = await getPageActor();
  const { update } = await searchParams;
  const items = await listRollouts(actor, { update: typeof update === "string" && update ? update : undefined });
  const progress = await progressOfRollouts(actor, items.map((r) => r.id));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Rollouts</h1>
      <p className="text-sm">To plan a new rollout, open the update and choose “Plan a rollout”.</p>
      {items.length === 0 ? (
        <EmptyState>No rollouts yet.</EmptyState>
      ) : (
        <Card>
          <RolloutList items={items} progress={progress} />
        </Card>
      )}
    </div>
  );
}
