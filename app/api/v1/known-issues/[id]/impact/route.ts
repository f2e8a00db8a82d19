// GET /api/v1/known-issues/{id}/impact — per wave of the update's rollouts: devices, affected, held.
// GET …/impact?wave=ID&cursor=&limit= — the affected hostnames of one wave, ≤ 100 per page.
import { requireApiActor } from "@/lib/auth/request-actor";
import { HttpError, problemFromError, zodErrors } from "@/lib/http/problem";
import { NO_STORE } from "@/lib/known-issues/http";
import { impactDevices, impactForIssue } from "@/lib/known-issues/impact";
import { ImpactQuery } from "@/lib/known-issues/validation";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/known-issues/{id}/impact", async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "known_issue.read");
    const { id } = await context.params;
    const query = ImpactQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) throw new HttpError(400, "The query is not valid.", { errors: zodErrors(query.error) });
    if (query.data.wave === undefined) return Response.json(await impactForIssue(actor, id), { headers: NO_STORE });
    const page = await impactDevices(actor, id, { waveId: query.data.wave, cursor: query.data.cursor, limit: query.data.limit });
    return Response.json(page, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
