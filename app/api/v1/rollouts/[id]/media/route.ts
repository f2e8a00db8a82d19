// POST /api/v1/rollouts/{id}/media {hostnames, step, date, batch?, reference?, office?, technician?} — one
// offline-media step for many machines (issue #21). Answers per hostname like the device import:
// {dryRun, received, accepted, rejected:[{index, hostname, errors}]}; `?dryRun=true` writes nothing.
// Manage scope / editor; helpdesk may record `received` and appointments.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId, readJsonObject } from "@/lib/http/json";
import { recordMediaSteps, type MediaStepsInput } from "@/lib/rollouts/media";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/rollouts/{id}/media", async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "media.record");
    const { id } = await context.params;
    const dryRun = ["1", "true"].includes(new URL(request.url).searchParams.get("dryRun") ?? "");
    const body = await readJsonObject(request, 1_000_000);
    // The body is the mutation's input as sent; its schema decides what is valid (422 per field).
    const result = await recordMediaSteps(actor, { ...body, rolloutId: positiveId(id, "rollout"), dryRun } as MediaStepsInput);
    return Response.json(result, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
