// Small helpers for the rollout, device and update route handlers.
import { mediaType, readLimitedText } from "@/lib/http/body";
import { HttpError } from "@/lib/http/problem";

export const NO_STORE = { "cache-control": "no-store" } as const;

/** A JSON body of at most `maxBytes`: malformed JSON → 400, never a 500. */
export async function readJson(request: Request, maxBytes = 1_000_000): Promise<unknown> {
  const type = mediaType(request);
  if (type !== "" && type !== "application/json" && !type.endsWith("+json")) throw new HttpError(415, `Send the body as application/json, not ${type}.`);
  const { text } = await readLimitedText(request, maxBytes);
  if (text.trim() === "") throw new HttpError(400, "The request body is empty; send JSON.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `The request body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`);
  }
}

export function positiveId(value: string, what: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, `No such ${what}.`);
  return id;
}
