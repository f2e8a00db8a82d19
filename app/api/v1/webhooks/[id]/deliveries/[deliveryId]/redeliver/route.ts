// POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver — sends that delivery again, now,
// with a fresh 24-hour retry window (admin); 202 with the delivery's id and status.
import { requireApiActor } from "@/lib/auth/request-actor";
import { NO_STORE, positiveId } from "@/lib/http/json";
import { problemFromError } from "@/lib/http/problem";
import { measured } from "@/lib/metrics/measured";
import { redeliverWebhookDelivery } from "@/lib/outbox/webhooks";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; deliveryId: string }> };

export const POST = measured("/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", async function POST(request: Request, context: Context): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "webhook.manage");
    const params = await context.params;
    const delivery = await redeliverWebhookDelivery(actor, { webhookId: positiveId(params.id, "webhook"), deliveryId: positiveId(params.deliveryId, "delivery") });
    return Response.json({ id: delivery.id, eventId: delivery.eventId, status: delivery.status }, { status: 202, headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
