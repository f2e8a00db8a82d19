// GET /api/docs — the readable API description lives at /api-docs: /api/* answers carry a CSP that
// allows no styles (next.config.ts), so the page is served outside it.
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/docs", async function GET(): Promise<Response> {
  return new Response(null, { status: 308, headers: { location: "/api-docs" } });
});
