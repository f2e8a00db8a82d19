// The exact security headers the proxy (proxy.ts) puts on every page answer: a Content-Security-Policy
// with a fresh per-request nonce, frame-ancestors 'none', nosniff, same-origin referrers, a closed
// Permissions-Policy, and HSTS only over HTTPS. A change to any value fails here on purpose.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { config as proxyConfig, proxy } from "@/proxy";

process.env.AUTH_SECRET ??= "headers-secret-headers-secret-headers-0123";
// Our origin for the server-action checks (lib/http/origin.ts).
process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";

const NONCE = /'nonce-([A-Za-z0-9+/]{22}==)'/;

async function headersFor(url: string, headers: Record<string, string> = {}) {
  const response = await proxy(new NextRequest(url, { headers }));
  const all = Object.fromEntries([...response.headers].filter(([name]) => !name.startsWith("x-middleware-")));
  const nonce = NONCE.exec(all["content-security-policy"] ?? "")?.[1];
  if (nonce) all["content-security-policy"] = all["content-security-policy"].replace(nonce, "<nonce>");
  return { status: response.status, headers: all, nonce, raw: response.headers };
}

const COMMON = {
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
};

const CSP_HTTP =
  "default-src 'self'; script-src 'self' 'nonce-<nonce>' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

describe("security headers from the proxy", () => {
  it("a page over HTTP: CSP with a nonce, no HSTS", async () => {
    const { status, headers, nonce, raw } = await headersFor("http://127.0.0.1:3000/login");
    expect(status).toBe(200);
    expect(headers).toEqual({ ...COMMON, "content-security-policy": CSP_HTTP });
    // The nonce reaches the page (layout reads x-nonce) as the same value the CSP names.
    expect(raw.get("x-middleware-request-x-nonce")).toBe(nonce);
  });

  it("the same page behind an HTTPS proxy: HSTS and upgrade-insecure-requests", async () => {
    const { headers } = await headersFor("http://127.0.0.1:3000/login", { "x-forwarded-proto": "https" });
    expect(headers).toEqual({
      ...COMMON,
      "content-security-policy": `${CSP_HTTP}; upgrade-insecure-requests`,
      "strict-transport-security": "max-age=63072000; includeSubDomains",
    });
  });

  it("a fresh nonce on every request", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) nonces.add((await headersFor("http://127.0.0.1:3000/login")).nonce!);
    expect(nonces.size).toBe(20);
  });

  it("the redirect of a visitor without a session carries the same headers", async () => {
    const { status, headers } = await headersFor("http://127.0.0.1:3000/admin/users");
    expect(status).toBe(307);
    const { location, ...rest } = headers;
    expect(new URL(location).pathname + new URL(location).search).toBe("/login?next=%2Fadmin%2Fusers");
    expect(rest).toEqual({ ...COMMON, "content-security-policy": CSP_HTTP });
  });

  it("static assets get all but the CSP", async () => {
    expect((await headersFor("http://127.0.0.1:3000/_next/static/chunks/app.js")).headers).toEqual(COMMON);
  });

  it("server actions from another origin, or none, are refused before they run", async () => {
    const action = { method: "POST", headers: { "next-action": "0123abcd", cookie: "next-auth.session-token=x" } };
    const none = await proxy(new NextRequest("http://127.0.0.1:3000/events/import", action));
    expect(none.status).toBe(403);
    const evil = await proxy(new NextRequest("http://127.0.0.1:3000/events/import", { ...action, headers: { ...action.headers, origin: "https://evil.example" } }));
    expect(evil.status).toBe(403);
  });

  it("a server action body over 10 MB is refused with 413, with or without Content-Length", async () => {
    const headers = { "next-action": "0123abcd", cookie: "next-auth.session-token=x", origin: "http://127.0.0.1:3000" };
    const over = new Uint8Array(10 * 1024 * 1024 + 1);
    const sized = await proxy(new NextRequest("http://127.0.0.1:3000/events/import", { method: "POST", headers: { ...headers, "content-length": String(over.byteLength) }, body: over }));
    expect(sized.status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i <= 10; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const chunked = await proxy(new NextRequest("http://127.0.0.1:3000/events/import", { method: "POST", headers, body: stream, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]));
    expect(chunked.status).toBe(413);
    const small = await proxy(new NextRequest("http://127.0.0.1:3000/events/import", { method: "POST", headers, body: "x".repeat(1000) }));
    expect(small.status).toBe(200);
  });
});

// The API and the feed are outside the proxy (a proxy cuts request bodies at its buffer size), so
// their headers come from next.config.ts: the same set, a CSP that allows nothing, and the feed's
// no-referrer (its URL may carry a token). test/security/live checks them on a real server.
describe("security headers of the API and the feed (next.config.ts)", () => {
  const NON_HTML_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  type Rule = { source: string; has?: unknown[]; headers: { key: string; value: string }[] };
  const headersOf = (rules: Rule[], source: string, https = false) =>
    Object.fromEntries(rules.filter((r) => r.source === source && (https || !r.has)).flatMap((r) => r.headers.map((h) => [h.key, h.value])));

  it("the proxy leaves /api/ and /feeds/ alone", () => {
    // The matcher is one regular-expression group after the slash, read here as JavaScript does.
    const matcher = new RegExp(`^${proxyConfig.matcher[0]}$`);
    expect(["/api/v1/devices", "/api/auth/session", "/feeds/known-issues.atom"].filter((p) => matcher.test(p))).toEqual([]);
    expect(["/", "/login", "/events/import", "/_next/static/chunks/app.js"].every((p) => matcher.test(p))).toBe(true);
  });

  it("API answers: the common set with a CSP that allows nothing; HSTS behind HTTPS", async () => {
    const rules = (await nextConfig.headers!()) as Rule[];
    expect(headersOf(rules, "/api/:path*")).toEqual({ ...COMMON, "content-security-policy": NON_HTML_CSP });
    expect(headersOf(rules, "/api/:path*", true)["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
  });

  it("the feed: the same, with no-referrer", async () => {
    const rules = (await nextConfig.headers!()) as Rule[];
    expect(headersOf(rules, "/feeds/:path*")).toEqual({ ...COMMON, "referrer-policy": "no-referrer", "content-security-policy": NON_HTML_CSP });
  });
});
