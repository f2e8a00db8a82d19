// GET /api/v1/search?q= — the one box: hostnames, apps, error codes, KB numbers, advisory ids and
// issue words, grouped by kind, best group first, at most 10 per group.
import { requireApiActor } from "@/lib/auth/request-actor";
import { HttpError, problemFromError } from "@/lib/http/problem";
import { MAX_QUERY_LENGTH } from "@/lib/search/query";
import { search } from "@/lib/search/search";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/search", async function GET(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "search.read");
    const q = new URL(request.url).searchParams.get("q") ?? "";
    if (q.length > MAX_QUERY_LENGTH * 2) throw new HttpError(400, `The query is too long (at most ${MAX_QUERY_LENGTH} characters).`);
    return Response.json(await search(actor, q), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return problemFromError(error);
  }
});
