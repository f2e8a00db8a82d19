// DELETE /api/v1/webhooks/{id} — removes the webhook and its delivery log (admin); 204.
import { requireApiActor } from "@/lib/auth/request-actor";
import { positiveId } from "@/lib/http/json";
import { problemFromError } from "@/lib/http/problem";
import { measured } from "@/lib/metrics/measured";
import { deleteWebhook } from "@/lib/outbox/webhooks";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const DELETE = measured("/api/v1/webhooks/{id}", async function DELETE(request: Request, context: Context): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "webhook.manage");
    await deleteWebhook(actor, { id: positiveId((await context.params).id, "webhook") });
    return new Response(null, { status: 204 });
  } catch (error) {
    return problemFromError(error);
  }
});
