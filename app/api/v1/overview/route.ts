import { requireApiActor } from "@/lib/auth/request-actor";
import { sharedPageData } from "@/lib/cache/page-data";
import { problemFromError } from "@/lib/http/problem";
import { getOverview } from "@/lib/overview/queries";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

/** The overview's numbers, for live refresh (read scope / any signed-in role). */
export const GET = measured("/api/v1/overview", async function GET(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "dashboard.read");
    const overview = await sharedPageData(actor, "dashboard.read", "overview", () => getOverview(actor));
    return Response.json(overview, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return problemFromError(error);
  }
});
