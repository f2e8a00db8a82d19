// On the real server: server actions only from our own origin (NEXTAUTH_URL), page POSTs over
// the server actions' 10 MB refused rather than cut, and the headers of the API and the feed —
// which the proxy no longer sees — still carry the security headers, the feed its no-referrer.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveDistDir, startLiveServer, type LiveServer } from "./harness";
import { json, send } from "./send";

const MB = 1024 * 1024;
let server: LiveServer;
let readToken = "";
let importAction = "";
// The proxy lets a request with any session cookie through to the page; the action then checks it.
const SOME_SESSION = { cookie: "next-auth.session-token=not-a-real-session" };

beforeAll(async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(liveDistDir(), "server", "server-reference-manifest.json"), "utf8"));
  importAction = Object.entries(manifest.node as Record<string, { exportedName: string }>).find(([, a]) => a.exportedName === "importStatusEventsAction")![0];
  server = await startLiveServer();
  readToken = await server.token(["read"]);
});

afterAll(async () => {
  await server?.stop();
});

/** A server action call as a browser makes it, `bytes` long in all (multipart with one CSV file). */
function actionBody(bytes: number): { body: Buffer; type: string } {
  const boundary = "----rollcall-live-boundary";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="1_file"; filename="events.csv"\r\nContent-Type: text/csv\r\n\r\ndevice,update,state,occurredAt\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const filler = "x".repeat(bytes - Buffer.byteLength(head) - Buffer.byteLength(tail));
  return { body: Buffer.from(head + filler + tail), type: `multipart/form-data; boundary=${boundary}` };
}

describe("server actions come from our own origin only", () => {
  it.each([
    ["no Origin header", {}],
    ["another site's Origin", { origin: "https://evil.example" }],
    ["an Origin naming our port on another host", { origin: "http://localhost.evil.example" }],
  ])("%s → 403, the action never runs", async (_, headers: Record<string, string>) => {
    const { body, type } = actionBody(4096);
    const answer = await send(`${server.base}/events/import`, {
      headers: { ...SOME_SESSION, ...headers, "next-action": importAction, "content-type": type, accept: "text/x-component" },
      body,
    });
    expect(answer.status).toBe(403);
    expect(json(answer)).toMatchObject({ status: 403 });
  });

  it("a forged X-Forwarded-Host does not make another origin ours", async () => {
    const answer = await send(`${server.base}/events/import`, {
      headers: { ...SOME_SESSION, origin: "https://evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", "next-action": importAction },
      body: "[]",
    });
    expect(answer.status).toBe(403);
  });

  it("our own origin passes the check", async () => {
    const { body, type } = actionBody(4096);
    const answer = await send(`${server.base}/events/import`, {
      headers: { ...SOME_SESSION, origin: server.base, "next-action": importAction, "content-type": type, accept: "text/x-component" },
      body,
    });
    expect(answer.status).not.toBe(403);
  });
});

describe("a page POST over the server actions' 10 MB is refused, not cut", () => {
  it.each([
    ["10.5 MB with Content-Length", 10.5 * MB, false],
    ["10.5 MB chunked", 10.5 * MB, true],
    ["12 MB chunked", 12 * MB, true],
  ])("%s → 413 problem+json", async (_, bytes, chunked) => {
    const { body, type } = actionBody(bytes);
    const answer = await send(`${server.base}/events/import`, {
      headers: { ...SOME_SESSION, origin: server.base, "next-action": importAction, "content-type": type, accept: "text/x-component" },
      body,
      chunked,
    });
    expect(answer.status, answer.text.slice(0, 300)).toBe(413);
    expect(json(answer)).toMatchObject({ status: 413 });
  });

  it("9.5 MB chunked reaches the action", async () => {
    const { body, type } = actionBody(9.5 * MB);
    const answer = await send(`${server.base}/events/import`, {
      headers: { ...SOME_SESSION, origin: server.base, "next-action": importAction, "content-type": type, accept: "text/x-component" },
      body,
      chunked: true,
    });
    expect(answer.status).not.toBe(413);
    expect(answer.headers["content-type"]).toMatch(/^text\/x-component/);
  });
});

describe("headers outside the proxy", () => {
  it("the feed keeps Referrer-Policy: no-referrer (its URL carries a token)", async () => {
    const answer = await send(`${server.base}/feeds/known-issues.atom?token=${encodeURIComponent(readToken)}`, { method: "GET" });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toMatch(/^application\/atom\+xml/);
    expect(answer.headers["referrer-policy"]).toBe("no-referrer");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["x-frame-options"]).toBe("DENY");
    expect(answer.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  });

  it("the feed's 401 is no-referrer too", async () => {
    const answer = await send(`${server.base}/feeds/known-issues.atom?token=wrong`, { method: "GET" });
    expect(answer.status).toBe(401);
    expect(answer.headers["referrer-policy"]).toBe("no-referrer");
  });

  it("API answers carry the security headers, HSTS only over HTTPS", async () => {
    const plain = await send(`${server.base}/api/v1/overview`, { method: "GET", headers: { authorization: `Bearer ${readToken}` } });
    expect(plain.status).toBe(200);
    expect(plain.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "same-origin",
      "cross-origin-opener-policy": "same-origin",
      "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    });
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    const https = await send(`${server.base}/api/health`, { method: "GET", headers: { "x-forwarded-proto": "https" } });
    expect(https.headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
  });

  it("pages still get their nonce CSP from the proxy", async () => {
    const answer = await send(`${server.base}/login`, { method: "GET" });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(answer.headers["referrer-policy"]).toBe("same-origin");
  });
});
