// GET /api/v1/updates — the catalog: updates with builds, planned release date and adoption.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE } from "@/lib/http/json";
import { listUpdates } from "@/lib/updates/catalog";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/updates", async function GET(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "update.read");
    return Response.json({ items: await listUpdates(actor) }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
