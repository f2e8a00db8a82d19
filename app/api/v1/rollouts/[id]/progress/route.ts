// GET /api/v1/rollouts/{id}/progress — waves with per-state counts, failure rate and gate status.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId } from "@/lib/http/json";
import { getRolloutProgress } from "@/lib/rollouts/queries";
import { readinessForRollout } from "@/lib/readiness/waves";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/rollouts/{id}/progress", async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.read");
    const { id } = await context.params;
    const rolloutId = positiveId(id, "rollout");
    const [progress, readiness] = await Promise.all([getRolloutProgress(actor, rolloutId), readinessForRollout(actor, rolloutId)]);
    // Readiness per wave (issue #17): machines by the worst readiness cell of their apps on the wave's build.
    return Response.json({ ...progress, waves: progress.waves.map((w) => ({ ...w, readiness: readiness.get(w.id) ?? null })) }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
