// GET /api/v1/devices?q=&site=&department=&os=&channel=&tag=&state=&update=&cursor= — ≤100 per page, `nextCursor`.
// POST — upsert by hostname: a JSON array, or text/csv (tags and apps `;`-separated, apps `name@version`).
// Answers {accepted, created, updated, rejected:[{index, line?, hostname?, errors}]}; `?dryRun=true` writes nothing.
import { requireApiActor } from "@/lib/auth/request-actor";
import { mediaType, readLimitedText } from "@/lib/http/body";
import { HttpError, problemFromError } from "@/lib/http/problem";
import { importDevices } from "@/lib/devices/import";
import { listDevices } from "@/lib/devices/queries";
import { NO_STORE } from "@/lib/http/json";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

/** 100,000 devices with a few apps each fit comfortably. */
const MAX_BYTES = 64 * 1024 * 1024;

export const GET = measured("/api/v1/devices", async function GET(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "device.read");
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const { items, nextCursor } = await listDevices(actor, { ...params, limit: params.limit ? Number(params.limit) : 100 });
    return Response.json({ items, nextCursor }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});

export const POST = measured("/api/v1/devices", async function POST(request: Request): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "inventory.write");
    const type = mediaType(request);
    const dryRun = ["1", "true"].includes(new URL(request.url).searchParams.get("dryRun") ?? "");
    if (type !== "text/csv" && type !== "application/json" && type !== "") {
      throw new HttpError(415, `Send devices as application/json (an array) or text/csv, not ${type}.`);
    }
    const { text } = await readLimitedText(request, MAX_BYTES);
    const result = await importDevices(actor, type === "text/csv" ? { csv: text, dryRun } : { json: jsonArray(text), dryRun });
    return Response.json(result, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});

/** The body as a JSON array of devices; anything else is a 400. */
function jsonArray(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, "The request body is not valid JSON.");
  }
  if (!Array.isArray(parsed)) throw new HttpError(400, "Send a JSON array of devices.");
  return parsed;
}
