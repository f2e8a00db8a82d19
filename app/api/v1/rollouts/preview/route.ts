// POST /api/v1/rollouts/preview — what a plan would do (devices per wave, not applicable, download
// volume per site, link warnings) without saving it. Problems come back as `errors[]` with 422.
import { assertCan } from "@/lib/auth/permissions";
import { requireApiActor } from "@/lib/auth/request-actor";
import { problem, problemFromError } from "@/lib/http/problem";
import { NO_STORE, readJson } from "@/lib/http/json";
import { previewRolloutPlan } from "@/lib/rollouts/plan";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/rollouts/preview", async function POST(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.write");
    // A preview counts devices and checks hostnames: it is a read of the inventory too (issue #14).
    assertCan(actor, "device.read");
    const result = await previewRolloutPlan(actor, await readJson(request));
    if (!result.ok) return problem(422, "The rollout plan has problems.", { errors: result.errors, preview: result.preview });
    return Response.json(result.preview, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
