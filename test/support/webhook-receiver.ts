// A real HTTP receiver for webhook tests (node:http on 127.0.0.1, a random port): it checks each
// delivery's signature with the webhook's secret the way the README tells receivers to, and
// answers 200, 500, or never.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { at: number; headers: IncomingHttpHeaders; body: string; json: Record<string, unknown>; signatureValid: boolean };

export type Receiver = {
  url: string;
  received: Received[];
  /** Requests being answered right now (a receiver that counts overlapping sends of one delivery). */
  maxConcurrentPerDelivery: number;
  /** The webhook's secret, once it is known (the receiver starts before the webhook exists). */
  secret: string;
  close(): Promise<void>;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
};

/** The README's check: t and v1 from the header, HMAC-SHA256 of "<t>.<raw body>", compared in constant time, t not older than 5 minutes. */
export function verifySignature(secret: string, header: string | undefined, body: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300 || !parts.v1) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startReceiver(answer: "ok" | "fail" | "hang" = "ok", options: { delayMs?: number } = {}): Promise<Receiver> {
  const inFlight = new Map<string, number>();
  const receiver: Receiver = {
    url: "",
    received: [],
    maxConcurrentPerDelivery: 0,
    secret: "",
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    waitFor: async (count, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (receiver.received.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${receiver.received.length} of ${count} deliveries in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return receiver.received;
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", async () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString("utf8");
      const id = String(request.headers["rollcall-delivery"]);
      const now = (inFlight.get(id) ?? 0) + 1;
      inFlight.set(id, now);
      receiver.maxConcurrentPerDelivery = Math.max(receiver.maxConcurrentPerDelivery, now);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body);
      } catch {
        // kept as {}: the test asserts on the body
      }
      receiver.received.push({ at, headers: request.headers, body, json, signatureValid: verifySignature(receiver.secret, request.headers["rollcall-signature"] as string, body) });
      if (answer === "hang") return; // never answers; the sender's timeout ends it
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
      response.writeHead(answer === "ok" ? 200 : 500, { "content-type": "text/plain" });
      response.end(answer === "ok" ? "thanks" : "receiver is broken today");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
