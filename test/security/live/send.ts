// Raw HTTP for the live tests: a body sent with Content-Length or chunked (no length), written in
// 64 KB pieces with back-pressure, and the answer as soon as it comes — even while the body is
// still going out (the server may refuse early; the rest is then dropped).
import http from "node:http";

export type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string; ms: number; sentBytes: number };

export type SendOptions = {
  method?: string;
  headers?: Record<string, string>;
  /** The body: bytes, or a source of chunks (always sent chunked). */
  body?: Buffer | string | AsyncIterable<Buffer>;
  /** Leave out Content-Length so the body goes as Transfer-Encoding: chunked. */
  chunked?: boolean;
  timeoutMs?: number;
};

const PIECE = 64 * 1024;

export function send(url: string, options: SendOptions = {}): Promise<Answer> {
  const { method = "POST", headers = {}, chunked = false, timeoutMs = 60_000 } = options;
  const body = typeof options.body === "string" ? Buffer.from(options.body) : options.body;
  const t0 = Date.now();
  return new Promise<Answer>((resolve, reject) => {
    const outgoing: Record<string, string> = { ...headers };
    if (Buffer.isBuffer(body) && !chunked) outgoing["content-length"] = String(body.byteLength);
    const request = http.request(url, { method, headers: outgoing });
    let answered = false;
    let sentBytes = 0;
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${timeoutMs} ms (${sentBytes} bytes sent)`));
    }, timeoutMs);
    request.on("error", (error) => {
      if (!answered) {
        clearTimeout(timer);
        reject(error);
      }
    });
    request.on("response", (response) => {
      answered = true;
      const parts: Buffer[] = [];
      response.on("data", (chunk: Buffer) => parts.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        clearTimeout(timer);
        const ms = Date.now() - t0;
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(parts).toString("utf8"), ms, sentBytes });
      });
    });
    const write = (piece: Buffer) =>
      new Promise<void>((done) => {
        sentBytes += piece.byteLength;
        if (request.write(piece)) done();
        else request.once("drain", done);
      });
    (async () => {
      if (body) {
        const source = Buffer.isBuffer(body) ? pieces(body) : body;
        for await (const chunk of source) {
          if (answered || request.destroyed) return;
          for (let i = 0; i < chunk.byteLength; i += PIECE) {
            if (answered || request.destroyed) return;
            await write(chunk.subarray(i, i + PIECE));
          }
        }
      }
      if (!answered && !request.destroyed) request.end();
    })().catch(() => undefined);
  });
}

function* pieces(buffer: Buffer): Generator<Buffer> {
  for (let i = 0; i < buffer.byteLength; i += PIECE) yield buffer.subarray(i, i + PIECE);
}

/** A body of `bytes` bytes that trickles out for as long as it takes (a slow or endless upload). */
export async function* trickle(bytes: number, chunk = PIECE, pauseMs = 5): AsyncGenerator<Buffer> {
  const piece = Buffer.alloc(chunk, "x");
  for (let sent = 0; sent < bytes; sent += chunk) {
    yield piece;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

export function json(answer: Answer): any {
  return JSON.parse(answer.text);
}
