// Runs before every request: security headers with a per-request CSP nonce, the current path for
// the login redirect, a sliding refresh of the session cookie (8 h idle timeout), and — for
// convenience only — a redirect of visitors without any session cookie to /login. Pages, route
// handlers and server actions check the actor themselves; nothing relies on this file.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, securityHeaders } from "@/lib/auth/security-headers";
import {
  decodeSessionToken,
  readSessionCookie,
  reissueSessionToken,
  SESSION_ABSOLUTE_SECONDS,
  SESSION_IDLE_SECONDS,
  SESSION_REFRESH_AFTER_SECONDS,
  sessionCookieName,
  useSecureCookies,
} from "@/lib/auth/session-cookie";

const PATH_HEADER = "x-rollcall-path";
/** Reachable without a session: sign-in, next-auth, the API and feed (they answer 401 themselves), health, assets. */
const PUBLIC_PREFIXES = ["/login", "/api/", "/feeds/", "/_next/", "/favicon"];

/**
 * A fresh 128-bit CSP nonce per request, cut from a pool of random bytes refilled 256 nonces at a
 * time: one call into the system's random source per request cost more than the rest of this file.
 */
const NONCE_BYTES = 16;
const noncePool = { bytes: new Uint8Array(NONCE_BYTES * 256), used: Infinity };
function nextNonce(): string {
  if (noncePool.used + NONCE_BYTES > noncePool.bytes.length) {
    crypto.getRandomValues(noncePool.bytes);
    noncePool.used = 0;
  }
  const bytes = noncePool.bytes.subarray(noncePool.used, noncePool.used + NONCE_BYTES);
  noncePool.used += NONCE_BYTES;
  return btoa(String.fromCharCode(...bytes));
}

function isHttps(request: NextRequest): boolean {
  return useSecureCookies() || request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}

function isPublic(pathname: string): boolean {
  return PUBLIC_PREFIXES.some((p) => pathname === p.replace(/\/$/, "") || pathname.startsWith(p)) || /\.[a-z0-9]+$/i.test(pathname);
}

export async function proxy(request: NextRequest) {
  const https = isHttps(request);
  if (request.nextUrl.pathname.startsWith("/_next/static/") || request.nextUrl.pathname.startsWith("/_next/image")) {
    const asset = NextResponse.next();
    for (const [name, value] of Object.entries(securityHeaders({ https }))) asset.headers.set(name, value);
    return asset;
  }
  const nonce = nextNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const { pathname, search } = request.nextUrl;

  const sessionValue = readSessionCookie(
    (name) => request.cookies.get(name)?.value,
    request.cookies.getAll().map((c) => c.name),
  );

  let response: NextResponse;
  if (!sessionValue && !isPublic(pathname)) {
    const next = pathname + search;
    const url = new URL("/login", request.url);
    if (next !== "/") url.searchParams.set("next", next);
    response = NextResponse.redirect(url);
  } else {
    // Route handlers render no scripts and redirect nowhere, so only pages get the nonce and path
    // handed on (overriding request headers makes Next.js copy every one of them).
    response = pathname.startsWith("/api/") ? NextResponse.next() : NextResponse.next({ request: { headers: pageRequestHeaders(request, nonce, csp) } });
    if (sessionValue && !pathname.startsWith("/api/auth/")) await slideSession(sessionValue, response, https);
  }
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(securityHeaders({ https }))) response.headers.set(name, value);
  return response;
}

/** What a page reads from the proxy: the CSP (Next.js takes the nonce for its scripts from it) and the path for the login redirect. */
function pageRequestHeaders(request: NextRequest, nonce: string, csp: string): Headers {
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return headers;
}

/** Re-issues the session cookie every few minutes of activity, up to 24 h after sign-in. */
async function slideSession(value: string, response: NextResponse, secure: boolean): Promise<void> {
  const claims = await decodeSessionToken(value).catch(() => null);
  if (!claims?.iat) return;
  const now = Math.floor(Date.now() / 1000);
  if (now - claims.iat < SESSION_REFRESH_AFTER_SECONDS) return;
  const remaining = Math.min(SESSION_IDLE_SECONDS, claims.authTime + SESSION_ABSOLUTE_SECONDS - now);
  if (remaining <= 0) return;
  response.cookies.set(sessionCookieName(), await reissueSessionToken(value, claims, now), {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    maxAge: remaining,
  });
}

export const config = {
  matcher: ["/:path*"],
};
