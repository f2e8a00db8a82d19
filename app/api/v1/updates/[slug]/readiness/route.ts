// GET /api/v1/updates/{slug}/readiness?page=&pageSize= — the readiness matrix: apps found on the update's
// in-scope machines (ranked by machines, versions grouped) × its builds, each cell with note, who, when,
// history and "seen working on N pilot machines" (read / viewer).
// PUT /api/v1/updates/{slug}/readiness {app, versionRange, build, status, note, knownIssue?} — marks one
// cell (manage / editor); `broken` names a known issue, an unknown app or build is 422 (issue #17).
import { requireApiActor } from "@/lib/auth/request-actor";
import { HttpError, problemFromError, zodErrors } from "@/lib/http/problem";
import { NO_STORE, readJsonObject } from "@/lib/http/json";
import { measured } from "@/lib/metrics/measured";
import { setReadinessCell, type SetReadinessCellInput } from "@/lib/readiness/cells";
import { getReadinessMatrix } from "@/lib/readiness/matrix";
import { MatrixQuery } from "@/lib/readiness/model";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

export const GET = measured("/api/v1/updates/{slug}/readiness", async function GET(request: Request, context: Context): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "update.read");
    const { slug } = await context.params;
    const query = MatrixQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) throw new HttpError(400, "The query is not valid.", { errors: zodErrors(query.error) });
    return Response.json(await getReadinessMatrix(actor, slug, query.data), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});

export const PUT = measured("/api/v1/updates/{slug}/readiness", async function PUT(request: Request, context: Context): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "update.write");
    const { slug } = await context.params;
    const body = await readJsonObject(request, 64 * 1024);
    // The body is the mutation's input as sent; its schema decides what is valid (422 per field).
    const cell = await setReadinessCell(actor, { ...body, update: slug } as SetReadinessCellInput);
    return Response.json(cell, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
