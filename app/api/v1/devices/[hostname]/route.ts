// GET /api/v1/devices/{hostname} — the device (same field names as the upload), its deployments,
// recent status events and the known issues that match its apps.
import { requireApiActor } from "@/lib/auth/request-actor";
import { getDevice } from "@/lib/devices/queries";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE } from "@/lib/http/json";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/devices/{hostname}", async function GET(request: Request, context: { params: Promise<{ hostname: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "device.read");
    const { hostname } = await context.params;
    return Response.json(await getDevice(actor, decodeURIComponent(hostname)), { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
