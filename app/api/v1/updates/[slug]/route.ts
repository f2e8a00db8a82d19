// GET /api/v1/updates/{slug} — one update: builds, release-date history, rollouts, adoption by OS and site.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE } from "@/lib/http/json";
import { getUpdate } from "@/lib/updates/catalog";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/updates/{slug}", async function GET(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "update.read");
    const { slug } = await context.params;
    return Response.json(await getUpdate(actor, slug), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
