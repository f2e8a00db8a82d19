// POST /api/v1/updates/{slug}/slips {plannedDate, note} — record a slip of the planned release date.
// The same rule as the update page: the new date comes after the previous one; the offset dates of
// waves not yet started move by the slip, each move kept on the rollout page and in the audit log.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, readJsonObject } from "@/lib/http/json";
import { recordSlip } from "@/lib/updates/catalog";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const POST = measured("/api/v1/updates/{slug}/slips", async function POST(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "update.write");
    const { slug } = await context.params;
    // The body is the mutation's input as sent; its schema decides what is valid (422 per field).
    const body = await readJsonObject(request, 16_000);
    const slip = await recordSlip(actor, { ...body, update: slug } as Parameters<typeof recordSlip>[1]);
    return Response.json(
      { update: slip.slug, plannedDate: slip.plannedDate, previous: slip.previous, recordedAt: slip.recordedAt, movedWaveDates: slip.moved },
      { status: 201, headers: { ...NO_STORE, location: `/api/v1/updates/${encodeURIComponent(slip.slug)}` } },
    );
  } catch (error) {
    return problemFromError(error);
  }
});
