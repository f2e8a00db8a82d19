// GET /api/v1/openapi.json — the API described (OpenAPI 3.1), for anyone: no credentials needed.
import { measured } from "@/lib/metrics/measured";
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/openapi.json", async function GET(): Promise<Response> {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
});
