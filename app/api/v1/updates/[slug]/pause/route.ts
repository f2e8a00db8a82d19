// POST /api/v1/updates/{slug}/pause {reason, until?} — the emergency pause of an update: no wave of
// it offers the update (eligibility `update_paused`) until it is resumed or `until` passes.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, readJsonObject } from "@/lib/http/json";
import { measured } from "@/lib/metrics/measured";
import { pauseUpdate, type PauseInput } from "@/lib/updates/pause";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/updates/{slug}/pause", async function POST(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "update.write");
    const { slug } = await context.params;
    // The body is the mutation's input as sent; its schema decides what is valid (422 per field).
    const body = await readJsonObject(request, 16_000);
    const { pause } = await pauseUpdate(actor, { ...body, update: slug } as PauseInput);
    return Response.json({ update: pause.slug, paused: true, pausedAt: pause.pausedAt, reason: pause.reason, until: pause.until, by: pause.by }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
