// GET /api/v1/updates/{slug}/adoption — the update page's charts: cumulative adoption by day (from
// adoption_daily) and per-state counts by site and OS (from deployment_counts); polled every 15 s.
import { requireApiActor } from "@/lib/auth/request-actor";
import { getUpdateDashboard } from "@/lib/dashboards/queries";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE } from "@/lib/http/json";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/updates/{slug}/adoption", async function GET(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "dashboard.read");
    const { slug } = await context.params;
    return Response.json(await getUpdateDashboard(actor, slug), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
