// GET /api/v1/rollouts/{id}/media.csv?wave=&step=&overdue=&q= — the rollout's offline machines with their
// media journey step as CSV (hostname, department, site, …). `?step=to_send` is the mailing list of the
// machines whose disc is still to send. Read scope / any signed-in role.
import { requireApiActor } from "@/lib/auth/request-actor";
import { HttpError, problemFromError } from "@/lib/http/problem";
import { csvAttachment } from "@/lib/http/csv-response";
import { positiveId } from "@/lib/http/json";
import { allMediaJourneys, MediaListFilter, mediaCsv } from "@/lib/rollouts/media";
import { readRolloutRow } from "@/lib/rollouts/shared-reads";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/rollouts/{id}/media.csv", async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.read");
    const rolloutId = positiveId((await context.params).id, "rollout");
    if (!(await readRolloutRow(actor, rolloutId))) throw new HttpError(404, "No such rollout.");
    const filter = MediaListFilter.parse(Object.fromEntries(new URL(request.url).searchParams));
    const rows = await allMediaJourneys(actor, rolloutId, filter);
    const name = filter.step === "to_send" ? "mailing-list" : `media-${filter.step ?? "all"}${filter.overdue ? "-overdue" : ""}`;
    return csvAttachment(mediaCsv(rows), `rollout-${rolloutId}-${name}.csv`);
  } catch (error) {
    return problemFromError(error);
  }
});
