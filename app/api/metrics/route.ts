// GET /api/metrics — Prometheus text format for a monitoring system (token scope `read`): request
// durations by route, ingested events by outcome, database pool use, process defaults.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { measured } from "@/lib/metrics/measured";
import { scrapeMetrics } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";

export const GET = measured("/api/metrics", async function GET(request: Request): Promise<Response> {
  try {
    await requireApiActor(request, "metrics.read");
    const { body, contentType } = await scrapeMetrics();
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  } catch (error) {
    return problemFromError(error);
  }
});
