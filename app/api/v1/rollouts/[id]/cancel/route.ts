// POST /api/v1/rollouts/{id}/cancel {reason} — cancel a rollout (manage / editor, audited): its running
// waves halt with the reason, nothing is offered any more, the update may get a new rollout.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId, readJsonObject } from "@/lib/http/json";
import { cancelRollout, type CancelRolloutInput } from "@/lib/rollouts/cancel";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/rollouts/{id}/cancel", async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.write");
    const { id } = await context.params;
    const body = await readJsonObject(request, 64_000, { typed: false, expected: "{reason}" });
    // The body is the mutation's input as sent; its schema decides what is valid (422 per field).
    const cancelled = await cancelRollout(actor, { ...(body as CancelRolloutInput), rolloutId: positiveId(id, "rollout") });
    return Response.json(
      { id: cancelled.id, name: cancelled.name, status: cancelled.status, cancelledAt: cancelled.cancelledAt.toISOString(), cancelReason: cancelled.cancelReason, haltedWaves: cancelled.haltedWaves },
      { headers: NO_STORE },
    );
  } catch (error) {
    return problemFromError(error);
  }
});
