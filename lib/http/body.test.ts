import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readItemsBody, readLimitedText, UnparsableItem } from "./body";
import { HttpError } from "./problem";

const LIMITS = { maxBytes: 64 * 1024, maxItems: 50 };

/** A request whose body arrives in the given chunks, without Content-Length (as chunked uploads do). */
function streamed(chunks: Uint8Array[], contentType: string, headers: Record<string, string> = {}): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Request("http://127.0.0.1/api/v1/status-events", {
    method: "POST",
    body,
    headers: { "content-type": contentType, ...headers },
    duplex: "half",
  } as RequestInit);
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.slice(from, p));
    from = p;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

const status = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof HttpError ? e.status : 500));
const item = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 5 });

describe("readItemsBody", () => {
  it("parses NDJSON however the stream is cut, multi-byte characters included", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), async (items, cuts, crlf) => {
        const text = items.map((i) => JSON.stringify(i)).join(crlf ? "\r\n" : "\n") + "\n";
        const body = await readItemsBody(streamed(split(new TextEncoder().encode(text), cuts), "application/x-ndjson"), LIMITS);
        expect(body.format).toBe("ndjson");
        expect(body.items).toEqual(items);
      }),
      { numRuns: 100 },
    );
  });

  it("parses a JSON array however the stream is cut, and the hash depends only on the bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), async (items, cuts) => {
        const bytes = new TextEncoder().encode(JSON.stringify(items));
        const a = await readItemsBody(streamed(split(bytes, cuts), "application/json; charset=utf-8"), LIMITS);
        const b = await readItemsBody(streamed([bytes], "application/json"), LIMITS);
        expect(a.items).toEqual(items);
        expect(a.sha256).toBe(b.sha256);
      }),
      { numRuns: 100 },
    );
  });

  it("turns a malformed NDJSON line into an unparsable item and keeps the others; skips blank lines", async () => {
    const body = await readItemsBody(streamed([new TextEncoder().encode('{"a":1}\n\n{oops\n{"b":2}')], "application/x-ndjson"), LIMITS);
    expect(body.items).toHaveLength(3);
    expect(body.items[0]).toEqual({ a: 1 });
    expect(body.items[1]).toBeInstanceOf(UnparsableItem);
    expect((body.items[1] as UnparsableItem).reason).toMatch(/^line 3 is not valid JSON/);
    expect(body.items[2]).toEqual({ b: 2 });
  });

  it("answers 400 for malformed JSON, a non-array, an empty body and invalid UTF-8", async () => {
    const enc = (s: string) => [new TextEncoder().encode(s)];
    expect(await status(readItemsBody(streamed(enc("[{]"), "application/json"), LIMITS))).toBe(400);
    expect(await status(readItemsBody(streamed(enc('{"device":"x"}'), "application/json"), LIMITS))).toBe(400);
    expect(await status(readItemsBody(streamed(enc("  "), "application/json"), LIMITS))).toBe(400);
    expect(await status(readItemsBody(streamed([new Uint8Array([0x5b, 0xff, 0x5d])], "application/json"), LIMITS))).toBe(400);
    expect(await status(readItemsBody(streamed([new Uint8Array([0x7b, 0xc3])], "application/x-ndjson"), LIMITS))).toBe(400);
  });

  it("answers 415 for another media type", async () => {
    expect(await status(readItemsBody(streamed([new Uint8Array([0x5b, 0x5d])], "text/plain"), LIMITS))).toBe(415);
  });

  it("answers 413 on a declared length, on a streamed body passing the limit, and on too many items", async () => {
    const big = new Uint8Array(LIMITS.maxBytes + 1).fill(0x20);
    expect(await status(readItemsBody(streamed([new Uint8Array([0x5b, 0x5d])], "application/json", { "content-length": String(LIMITS.maxBytes + 1) }), LIMITS))).toBe(413);
    expect(await status(readItemsBody(streamed(split(big, [1000, 30000]), "application/x-ndjson"), LIMITS))).toBe(413);
    const many = (n: number) => new TextEncoder().encode(Array.from({ length: n }, () => "{}").join("\n"));
    expect(await status(readItemsBody(streamed([many(LIMITS.maxItems)], "application/x-ndjson"), LIMITS))).toBe(200);
    expect(await status(readItemsBody(streamed([many(LIMITS.maxItems + 1)], "application/x-ndjson"), LIMITS))).toBe(413);
    expect(await status(readItemsBody(streamed([new TextEncoder().encode(`[${Array(LIMITS.maxItems + 1).fill("{}").join(",")}]`)], "application/json"), LIMITS))).toBe(413);
  });
});

describe("readLimitedText", () => {
  it("returns the text up to the limit and 413 beyond", async () => {
    const text = "device,update\nWS-1,sp2\n";
    expect((await readLimitedText(streamed([new TextEncoder().encode(text)], "text/csv"), 100)).text).toBe(text);
    expect(await status(readLimitedText(streamed([new Uint8Array(101)], "text/csv"), 100))).toBe(413);
  });

  it("names the limit to the byte and in the units the rest of Rollcall uses (a wave action's 64,000 bytes are 64.0 KB, not 63 KB)", async () => {
    const refusal = await readLimitedText(streamed([new Uint8Array(64_001)], "application/json"), 64_000).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(HttpError);
    expect((refusal as HttpError).message).toBe("The request body is too large: at most 64,000 bytes (64.0 KB) per request.");
  });
});
