// POST /api/v1/rollouts/{id}/promote {build, note?} — moves every wave that is not completed, and
// the rollout, to a newer build (lib/rollouts/promote.ts); an older, equal or unknown build is a 422.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId, readJsonObject } from "@/lib/http/json";
import { promoteRollout, type PromoteInput } from "@/lib/rollouts/promote";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/rollouts/{id}/promote", async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.write");
    const { id } = await context.params;
    const body = await readJsonObject(request, 64_000, { typed: false, expected: "{build, note?}" });
    // The body is the mutation's input as sent; its schema decides what is valid (422 per field).
    const promotion = await promoteRollout(actor, { ...(body as PromoteInput), rolloutId: positiveId(id, "rollout") });
    return Response.json(promotion, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
