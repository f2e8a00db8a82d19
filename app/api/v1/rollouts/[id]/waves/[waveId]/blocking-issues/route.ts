// PUT /api/v1/rollouts/{id}/waves/{waveId}/blocking-issues {ids: ["RC-0003"]} — the known issues of
// the update that block this wave (while confirmed it may not start; a running wave halts). Manage /
// editor, audited; an unknown advisory id is a 422 naming its place in the list.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId, readJsonObject } from "@/lib/http/json";
import { setWaveBlockingIssues, type WaveBlockingIssuesInput } from "@/lib/rollouts/blocking-issues";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const PUT = measured("/api/v1/rollouts/{id}/waves/{waveId}/blocking-issues", async function PUT(request: Request, context: { params: Promise<{ id: string; waveId: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.write");
    const { id, waveId } = await context.params;
    const body = await readJsonObject(request, 64_000, { typed: false, expected: '{ids: ["RC-0003"]}' });
    // The body is the mutation's input as sent; its schema decides what is valid (422 per field).
    const input = { ...(body as WaveBlockingIssuesInput), rolloutId: positiveId(id, "rollout"), waveId: positiveId(waveId, "wave") };
    const change = await setWaveBlockingIssues(actor, input);
    return Response.json(
      { waveId: change.wave.id, status: change.wave.status, blockingIssues: change.after, halted: change.halted, issueFlags: change.flagChanges },
      { headers: NO_STORE },
    );
  } catch (error) {
    return problemFromError(error);
  }
});
