// The exact security headers the proxy (proxy.ts) puts on every answer: a Content-Security-Policy
// with a fresh per-request nonce, frame-ancestors 'none', nosniff, same-origin referrers, a closed
// Permissions-Policy, and HSTS only over HTTPS. A change to any value fails here on purpose.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

process.env.AUTH_SECRET ??= "headers-secret-headers-secret-headers-0123";

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

  it("API answers get them too; static assets get all but the CSP", async () => {
    expect((await headersFor("http://127.0.0.1:3000/api/v1/overview")).headers).toEqual({ ...COMMON, "content-security-policy": CSP_HTTP });
    expect((await headersFor("http://127.0.0.1:3000/_next/static/chunks/app.js")).headers).toEqual(COMMON);
  });
});
