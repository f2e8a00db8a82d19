// POST /api/v1/updates/{slug}/resume — ends the update's emergency pause now (409 when not paused).
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE } from "@/lib/http/json";
import { measured } from "@/lib/metrics/measured";
import { resumeUpdate } from "@/lib/updates/pause";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/updates/{slug}/resume", async function POST(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "update.write");
    const { slug } = await context.params;
    const { before } = await resumeUpdate(actor, { update: slug });
    return Response.json({ update: before.slug, paused: false, wasPausedAt: before.pausedAt, reason: before.reason }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
