// Request bodies with limits: never buffer more than the limit (413 as soon as it is passed, also
// when Content-Length lies or is absent), a JSON array or NDJSON parsed as it streams in, and a
// SHA-256 of the exact bytes for Idempotency-Key comparisons.
import { createHash } from "node:crypto";
import { formatBytes, formatNumber } from "@/lib/format";
import { HttpError } from "./problem";

/** An NDJSON line that is not JSON: it becomes a rejected row, the other lines are still stored. */
export class UnparsableItem {
  constructor(readonly reason: string) {}
}

export type BodyLimits = { maxBytes: number; maxItems: number };
export type ItemsBody = { items: unknown[]; format: "json" | "ndjson"; sha256: string; bytes: number };

const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"]);

export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/** The limit to the byte, then in the units of the rest of Rollcall: "at most 10,485,760 bytes (10.5 MB) per request". */
function limitText(maxBytes: number): string {
  return `at most ${formatNumber(maxBytes)} bytes (${formatBytes(maxBytes)}) per request`;
}

function tooLarge(what: string): HttpError {
  return new HttpError(413, `The request body is too large: ${what}.`);
}

/** Rejects early on a declared Content-Length above the limit. */
function checkDeclaredLength(request: Request, maxBytes: number): void {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(limitText(maxBytes));
}

/** Reads the body chunk by chunk, hashing it, and stops with 413 once more than maxBytes arrived. */
async function* limitedChunks(request: Request, maxBytes: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  if (!request.body) return;
  const reader = request.body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      received += value.byteLength;
      if (received > maxBytes) throw tooLarge(limitText(maxBytes));
      hash.update(value);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** The whole body as UTF-8 text, at most maxBytes (CSV uploads). */
export async function readLimitedText(request: Request, maxBytes: number): Promise<{ text: string; sha256: string }> {
  checkDeclaredLength(request, maxBytes);
  const hash = createHash("sha256");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let text = "";
  try {
    for await (const chunk of limitedChunks(request, maxBytes, hash)) text += decoder.decode(chunk, { stream: true });
    text += decoder.decode();
  } catch (error) {
    if (error instanceof TypeError) throw new HttpError(400, "The request body is not valid UTF-8.");
    throw error;
  }
  return { text, sha256: hash.digest("hex") };
}

/**
 * A JSON array (`application/json`) or NDJSON (`application/x-ndjson`, one JSON value per line,
 * parsed line by line as the body streams in). Malformed JSON → 400; in NDJSON a malformed line is
 * an UnparsableItem (a rejected row) so the other lines are still stored. Blank lines are skipped.
 */
export async function readItemsBody(request: Request, limits: BodyLimits): Promise<ItemsBody> {
  const type = mediaType(request);
  const format = NDJSON_TYPES.has(type) ? "ndjson" : type === "" || type === "application/json" || type.endsWith("+json") ? "json" : null;
  if (!format) {
    throw new HttpError(415, `Send the events as application/json (an array) or application/x-ndjson (one event per line), not ${type}.`);
  }
  checkDeclaredLength(request, limits.maxBytes);
  const hash = createHash("sha256").update(`${format}\n`);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const tooMany = () => tooLarge(`at most ${limits.maxItems.toLocaleString("en")} events per request`);
  let bytes = 0;
  try {
    if (format === "json") {
      const chunks: Uint8Array[] = [];
      for await (const chunk of limitedChunks(request, limits.maxBytes, hash)) {
        chunks.push(chunk);
        bytes += chunk.byteLength;
      }
      const text = decoder.decode(Buffer.concat(chunks));
      if (text.trim() === "") throw new HttpError(400, "The request body is empty; send a JSON array of events.");
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new HttpError(400, `Malformed JSON: ${(error as Error).message}`);
      }
      if (!Array.isArray(parsed)) throw new HttpError(400, "Expected a JSON array of events (or NDJSON with Content-Type application/x-ndjson).");
      if (parsed.length > limits.maxItems) throw tooMany();
      return { items: parsed, format, sha256: hash.digest("hex"), bytes };
    }
    const items: unknown[] = [];
    let line = 1;
    let rest = "";
    const take = (text: string) => {
      const trimmed = text.trim();
      const lineNo = line++;
      if (trimmed === "") return;
      if (items.length >= limits.maxItems) throw tooMany();
      try {
        items.push(JSON.parse(trimmed));
      } catch (error) {
        items.push(new UnparsableItem(`line ${lineNo} is not valid JSON: ${(error as Error).message}`));
      }
    };
    for await (const chunk of limitedChunks(request, limits.maxBytes, hash)) {
      bytes += chunk.byteLength;
      rest += decoder.decode(chunk, { stream: true });
      let start = 0;
      let newline: number;
      while ((newline = rest.indexOf("\n", start)) >= 0) {
        take(rest.slice(start, newline));
        start = newline + 1;
      }
      rest = rest.slice(start);
    }
    rest += decoder.decode();
    take(rest);
    return { items, format, sha256: hash.digest("hex"), bytes };
  } catch (error) {
    if (error instanceof TypeError && /encoded data|decode/i.test(error.message)) throw new HttpError(400, "The request body is not valid UTF-8.");
    throw error;
  }
}
