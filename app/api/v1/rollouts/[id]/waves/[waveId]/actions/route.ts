// POST /api/v1/rollouts/{id}/waves/{waveId}/actions {action: start|pause|resume|halt|complete, reason?}
// The same rules as the UI: waves in order, the previous gate passed or a written override reason.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId, readJsonObject } from "@/lib/http/json";
import { performWaveAction, type WaveActionInput } from "@/lib/rollouts/lifecycle";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/rollouts/{id}/waves/{waveId}/actions", async function POST(request: Request, context: { params: Promise<{ id: string; waveId: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "wave.action");
    const { id, waveId } = await context.params;
    const body = await readJsonObject(request, 64_000, { typed: false, expected: "{action, reason?}" });
    // The body is the mutation's input as sent; its schema decides what is valid (422 per field).
    const input = { ...(body as WaveActionInput), rolloutId: positiveId(id, "rollout"), waveId: positiveId(waveId, "wave") };
    const { wave } = await performWaveAction(actor, input);
    return Response.json(
      { id: wave.id, name: wave.name, position: wave.position, status: wave.status, startedAt: wave.startedAt, haltedAt: wave.haltedAt, haltReason: wave.haltReason, completedAt: wave.completedAt },
      { headers: NO_STORE },
    );
  } catch (error) {
    return problemFromError(error);
  }
});
