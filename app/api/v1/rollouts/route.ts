// GET /api/v1/rollouts?update=slug — rollouts with their waves' names, order and status.
// POST — create a rollout plan {buildId, name, waves:[{name, targeting, gate…}]}; same rules as the UI.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, readJson } from "@/lib/http/json";
import { saveRolloutPlan } from "@/lib/rollouts/plan";
import { listRollouts } from "@/lib/rollouts/queries";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.read");
    const update = new URL(request.url).searchParams.get("update") ?? undefined;
    return Response.json({ items: await listRollouts(actor, { update: update || undefined }) }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
}

export async function POST(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.write");
    const body = await readJson(request);
    const { rolloutId: _ignored, ...plan } = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    void _ignored;
    const saved = await saveRolloutPlan(actor, plan);
    return Response.json(saved, { status: 201, headers: { ...NO_STORE, location: `/api/v1/rollouts/${saved.rolloutId}/progress` } });
  } catch (error) {
    return problemFromError(error);
  }
}
