// GET /api/v1/webhooks/{id}/deliveries?limit= — the webhook's delivery log, newest first (admin):
// status, attempts, last attempt's time, status code, latency and response excerpt.
import { z } from "zod";
import { requireApiActor } from "@/lib/auth/request-actor";
import { NO_STORE, positiveId } from "@/lib/http/json";
import { problemFromError } from "@/lib/http/problem";
import { measured } from "@/lib/metrics/measured";
import { listWebhookDeliveries } from "@/lib/outbox/webhooks";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const Query = z.object({ limit: z.coerce.number().int("limit must be a whole number.").min(1, "limit is at least 1.").max(500, "limit is at most 500.").default(100) });

export const GET = measured("/api/v1/webhooks/{id}/deliveries", async function GET(request: Request, context: Context): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "webhook.manage");
    const id = positiveId((await context.params).id, "webhook");
    const { limit } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json({ items: await listWebhookDeliveries(actor, id, limit) }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
