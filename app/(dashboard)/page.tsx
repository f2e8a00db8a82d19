import { Suspense } from "react";
import { CardSkeleton, LoadingStatus, TilesSkeleton } from "@/components/dashboards/skeletons";
import { OverviewLive } from "@/components/overview/overview-live";
import { getPageActor } from "@/lib/auth/session";
import { sharedPageData } from "@/lib/cache/page-data";
import { sharedJson } from "@/lib/cache/shared-json";
import { getOverview } from "@/lib/overview/queries";
import { FreshnessLine } from "@/components/dashboards/freshness-line";
import { readFreshness } from "@/lib/server/replica-reads";

export const metadata = { title: "Overview" };

async function OverviewData() {
  const actor = await getPageActor();
  // One read per second serves every viewer of this process; the page states when it was read.
  // Said only when the numbers come from the read replica (DATABASE_REPLICA_URL).
  const freshness = await readFreshness(actor);
  const overview = await sharedPageData(actor, "dashboard.read", "overview", () => getOverview(actor));
  return (
    <>
      <FreshnessLine freshness={freshness} />
      <OverviewLive initialJson={sharedJson(overview)} />
    </>
  );
}

// The heading goes out at once; the numbers stream in behind a skeleton of the same shape. (A
// loading.tsx here would also wrap every page below the dashboard and turn their 403/404 into 200.)
export default function OverviewPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Overview</h1>
      <Suspense
        fallback={
          <div className="space-y-6">
            <LoadingStatus what="the overview" />
            <div className="h-4" aria-hidden="true" />
            <TilesSkeleton count={5} />
            <CardSkeleton height={320} />
          </div>
        }
      >
        <OverviewData />
      </Suspense>
    </div>
  );
}
