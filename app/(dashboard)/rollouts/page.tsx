import { RolloutList } from "@/components/rollouts/rollout-list";
import { Card, EmptyState } from "@/components/ui/card";
import { getPageActor } from "@/lib/auth/session";
import { PageLinks } from "@/components/ui/page-links";
import { listRolloutsPage } from "@/lib/rollouts/list-page";
import { textSearchParams } from "@/lib/rollouts/page-helpers";
import type { SearchParams } from "@/lib/http/query";
import { progressOfRollouts } from "@/lib/rollouts/queries";

export const metadata = { title: "Rollouts" };

export const dynamic = "force-dynamic";

export default async function RolloutsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await getPageActor();
  const { update, cursor, before } = await textSearchParams(searchParams);
  const page = await listRolloutsPage(actor, { update, cursor, before });
  const items = page.items;
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
          <PageLinks path="/rollouts" filters={update ? { update } : {}} nextCursor={page.nextCursor} prevCursor={page.prevCursor} />
        </Card>
      )}
    </div>
  );
}
