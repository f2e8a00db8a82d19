// GET /api/v1/rollouts?update=slug&cursor=&before=&limit= — rollouts (newest first, ≤100 a page) with their
// waves' names, order and status, plus nextCursor / prevCursor (null at either end).
// POST — create a rollout plan {buildId, name, waves:[{name, targeting, gate…}]}; same rules as the UI.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, readJson } from "@/lib/http/json";
import { saveRolloutPlan, type PlanInput } from "@/lib/rollouts/plan";
import { listRolloutsPage } from "@/lib/rollouts/list-page";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/rollouts", async function GET(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.read");
    return Response.json(await listRolloutsPage(actor, Object.fromEntries(new URL(request.url).searchParams)), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});

export const POST = measured("/api/v1/rollouts", async function POST(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.write");
    const body = await readJson(request);
    // This route only creates: a rolloutId in the body is not an edit. The plan's schema decides the rest (422 per field).
    const { rolloutId: _ignored, ...plan } = (body && typeof body === "object" ? body : {}) as PlanInput;
    const { rolloutId, preview } = await saveRolloutPlan(actor, plan);
    return Response.json({ rolloutId, preview }, { status: 201, headers: { ...NO_STORE, location: `/api/v1/rollouts/${rolloutId}/progress` } });
  } catch (error) {
    return problemFromError(error);
  }
});
