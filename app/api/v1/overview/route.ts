import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { getOverview } from "@/lib/overview/queries";

export const dynamic = "force-dynamic";

/** The overview's numbers, for live refresh (read scope / any signed-in role). */
export async function GET(request: Request) {
  try {
    const actor = await requireApiActor(request, "dashboard.read");
    return Response.json(await getOverview(actor), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return problemFromError(error);
  }
}
