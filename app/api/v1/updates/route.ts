// GET /api/v1/updates?cursor=&before=&limit= — the catalog, newest first, ≤100 a page: updates with
// builds, planned release date and adoption, plus nextCursor / prevCursor (null at either end).
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE } from "@/lib/http/json";
import { listUpdatesPage } from "@/lib/updates/catalog";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/updates", async function GET(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "update.read");
    return Response.json(await listUpdatesPage(actor, Object.fromEntries(new URL(request.url).searchParams)), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
