import { OverviewLive } from "@/components/overview/overview-live";
import { getPageActor } from "@/lib/auth/session";
import { getOverview } from "@/lib/overview/queries";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const overview = await getOverview(await getPageActor());
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Overview</h1>
      <OverviewLive initial={overview} />
    </div>
  );
}
