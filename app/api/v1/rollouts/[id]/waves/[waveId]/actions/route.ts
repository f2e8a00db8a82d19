// POST /api/v1/rollouts/{id}/waves/{waveId}/actions {action: start|pause|resume|halt|complete, reason?}
// The same rules as the UI: waves in order, the previous gate passed or a written override reason.
import { requireApiActor } from "@/lib/auth/request-actor";
import { HttpError, problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId, readJson } from "@/lib/http/json";
import { performWaveAction } from "@/lib/rollouts/lifecycle";

export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ id: string; waveId: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "wave.action");
    const { id, waveId } = await context.params;
    const body = await readJson(request, 64_000);
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "Send a JSON object {action, reason?}.");
    const { action, reason } = body as { action?: unknown; reason?: unknown };
    if (reason !== undefined && typeof reason !== "string") throw new HttpError(422, "reason must be text.", { errors: [{ path: "reason", message: "reason must be text." }] });
    const { wave } = await performWaveAction(actor, { rolloutId: positiveId(id, "rollout"), waveId: positiveId(waveId, "wave"), action: action as never, reason });
    return Response.json(
      { id: wave.id, name: wave.name, position: wave.position, status: wave.status, startedAt: wave.startedAt, haltedAt: wave.haltedAt, haltReason: wave.haltReason, completedAt: wave.completedAt },
      { headers: NO_STORE },
    );
  } catch (error) {
    return problemFromError(error);
  }
}
