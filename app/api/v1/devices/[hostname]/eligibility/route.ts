// GET /api/v1/devices/{hostname}/eligibility?update=slug → {eligible, wave, reason}
// For a distribution tool's pre-install script: "may this machine install now?"
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { getEligibility } from "@/lib/rollouts/eligibility";
import { NO_STORE } from "@/lib/http/json";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/devices/{hostname}/eligibility", async function GET(request: Request, context: { params: Promise<{ hostname: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "device.read");
    const { hostname } = await context.params;
    const update = new URL(request.url).searchParams.get("update") ?? "";
    return Response.json(await getEligibility(actor, { hostname: decodeURIComponent(hostname), update }), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
