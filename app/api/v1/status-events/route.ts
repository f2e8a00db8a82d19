// POST /api/v1/status-events (PRODUCT.md, HTTP API): a JSON array or NDJSON of status events from
// the distribution tool. Answers {accepted, duplicates, stale, rejected} after COMMIT.
import { requireApiActor } from "@/lib/auth/request-actor";
import { forgetPageData } from "@/lib/cache/page-data";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { parseIdempotencyKey } from "@/lib/deployments/ingest-idempotency";
import { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH } from "@/lib/deployments/ingest-model";
import { readItemsBody } from "@/lib/http/body";
import { problemFromError } from "@/lib/http/problem";
import { measured } from "@/lib/metrics/measured";
import { noteWrite } from "@/lib/server/replica-reads";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/status-events", async function POST(request: Request): Promise<Response> {
  try {
    // Who is asking comes first: an unauthenticated caller never gets its 10 MB parsed.
    const actor = await requireApiActor(request, "events.ingest");
    const idempotencyKey = parseIdempotencyKey(request.headers.get("idempotency-key"));
    const body = await readItemsBody(request, { maxBytes: MAX_BATCH_BYTES, maxItems: MAX_EVENTS_PER_BATCH });
    const outcome = await ingestStatusEvents(actor, body.items, { idempotencyKey, requestHash: body.sha256 });
    // Pages read after this answer count the batch (lib/cache/page-data.ts), the caller's from the primary
    // until the read replica holds it (lib/server/replica-reads.ts; nothing without a replica).
    await noteWrite(actor).catch(() => undefined);
    forgetPageData();
    const { accepted, duplicates, stale, rejected } = outcome;
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (outcome.replayed) headers["idempotent-replayed"] = "true";
    return Response.json({ accepted, duplicates, stale, rejected }, { status: 200, headers });
  } catch (error) {
    return problemFromError(error);
  }
});
