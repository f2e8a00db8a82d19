// GET /api/v1/webhooks — the webhooks (admin, signed in; never their secrets).
// POST /api/v1/webhooks {url, events: [types] | ["*"], format: "json" | "slack" | "teams"} — 201 {id, secret, …}; the secret is shown once.
import { requireApiActor } from "@/lib/auth/request-actor";
import { NO_STORE, readJsonObject } from "@/lib/http/json";
import { problemFromError } from "@/lib/http/problem";
import { measured } from "@/lib/metrics/measured";
import { createWebhook, listWebhooks, type CreateWebhookInput } from "@/lib/outbox/webhooks";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/webhooks", async function GET(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "webhook.manage");
    const items = await listWebhooks(actor);
    return Response.json({ items }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});

export const POST = measured("/api/v1/webhooks", async function POST(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "webhook.manage");
    // The mutation's schema decides what the body may hold (422 per field).
    const created = await createWebhook(actor, (await readJsonObject(request)) as CreateWebhookInput);
    return Response.json(created, { status: 201, headers: { ...NO_STORE, location: `/api/v1/webhooks/${created.id}` } });
  } catch (error) {
    return problemFromError(error);
  }
});
