// GET /api/v1/rollouts/{id}/progress — waves with per-state counts, failure rate and gate status.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId } from "@/lib/http/json";
import { getRolloutProgress } from "@/lib/rollouts/queries";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/rollouts/{id}/progress", async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.read");
    const { id } = await context.params;
    return Response.json(await getRolloutProgress(actor, positiveId(id, "rollout")), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
