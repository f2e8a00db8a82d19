// GET /api/v1/rollouts/{id}/dashboard — what the rollout page's charts show (per-wave state bars,
// failure and rollback rate against each gate, top error codes, alerts with remedies); polled by
// the page every 15 s. Read scope / any signed-in role.
import { requireApiActor } from "@/lib/auth/request-actor";
import { getRolloutDashboard } from "@/lib/dashboards/queries";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId } from "@/lib/http/json";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/rollouts/{id}/dashboard", async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.read");
    const { id } = await context.params;
    return Response.json(await getRolloutDashboard(actor, positiveId(id, "rollout")), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
