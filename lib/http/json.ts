// JSON request bodies and the small answers every route handler shares.
import { mediaType, readLimitedText } from "./body";
import { HttpError } from "./problem";

export const NO_STORE = { "cache-control": "no-store" } as const;

/**
 * A JSON body of at most `maxBytes`: another media type → 415 (an untyped body passes unless
 * `typed`), an empty or malformed body → 400, never a 500.
 */
export async function readJson(request: Request, maxBytes = 1_000_000, { typed = false } = {}): Promise<unknown> {
  const type = mediaType(request);
  if ((typed || type !== "") && type !== "application/json" && !type.endsWith("+json")) {
    throw new HttpError(415, `Send the body as application/json, not ${type || "an untyped body"}.`);
  }
  const { text } = await readLimitedText(request, maxBytes);
  if (text.trim() === "") throw new HttpError(400, "The request body is empty; send JSON.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `The request body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`);
  }
}

/**
 * A JSON object body (≤ 256 KB unless told), sent as application/json unless `typed: false`: anything else is
 * refused as by `readJson`, and a non-object is 400 (naming the `expected` fields when given, e.g. "{reason}").
 */
export async function readJsonObject(request: Request, maxBytes = 256 * 1024, { typed = true, expected }: { typed?: boolean; expected?: string } = {}): Promise<Record<string, unknown>> {
  const body = await readJson(request, maxBytes, { typed });
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, expected ? `Send a JSON object ${expected}.` : "The body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** A positive integer id from a path segment; anything else is a 404 for `what`. */
export function positiveId(value: string, what: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, `No such ${what}.`);
  return id;
}
