// GET /api/v1/rollouts/{id}/devices.csv?state=&wave=&site=&os= — the rollout's devices with their
// deployment as a streaming CSV (keyset chunks; see lib/dashboards/devices-csv.ts). Read scope /
// any signed-in role; errors before the first byte are problem+json.
import { requireApiActor } from "@/lib/auth/request-actor";
import { exportRolloutDevicesCsv } from "@/lib/dashboards/devices-csv";
import { problemFromError } from "@/lib/http/problem";
import { csvAttachment } from "@/lib/http/csv-response";
import { positiveId } from "@/lib/http/json";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/rollouts/{id}/devices.csv", async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.read");
    const { id } = await context.params;
    const filter = Object.fromEntries(new URL(request.url).searchParams);
    const { filename, stream } = await exportRolloutDevicesCsv(actor, positiveId(id, "rollout"), filter);
    return csvAttachment(stream, filename);
  } catch (error) {
    return problemFromError(error);
  }
});
