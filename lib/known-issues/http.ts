import "server-only";
// The JSON shapes the known-issue API answers with, and reading its (small) JSON bodies.
import { mediaType, readLimitedText } from "@/lib/http/body";
import { HttpError } from "@/lib/http/problem";
import type { KnownIssueDetail, KnownIssueListItem } from "./types";

const MAX_BODY_BYTES = 256 * 1024;

/** A JSON object body (≤ 256 KB): 415 for another media type, 400 for malformed JSON. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = mediaType(request);
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new HttpError(415, `Send the body as application/json, not ${type || "an untyped body"}.`);
  }
  const { text } = await readLimitedText(request, MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "The body is not valid JSON.");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "The body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** In the API an issue's id is its advisory id ("RC-0001"); the database id stays inside. */
export function knownIssueToJson(issue: KnownIssueDetail) {
  const { id: _internal, advisoryId, ...rest } = issue;
  return { id: advisoryId, advisoryId, ...rest };
}

export function knownIssueListItemToJson(item: KnownIssueListItem) {
  return { id: item.advisoryId, ...item };
}

export const NO_STORE = { "cache-control": "no-store" } as const;
