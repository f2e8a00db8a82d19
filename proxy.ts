// Runs before every page request: security headers with a per-request CSP nonce, the current path
// for the login redirect, a sliding refresh of the session cookie (8 h idle timeout), the refusal of
// server actions from another origin (or none) or over their body limit, and — for convenience
// only — a redirect of visitors without any session cookie to /login. Pages and server actions
// check the actor themselves.
//
// The API (/api/) and the feed (/feeds/) are outside the matcher: Next.js buffers the body of every
// request a proxy sees and keeps only its first `proxyClientMaxBodySize` bytes, so a large upload
// would reach its route cut short (and an anonymous one would be read in full before its 401).
// Their route handlers authenticate and limit bodies themselves; next.config.ts sets their headers.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, securityHeaders } from "@/lib/auth/security-headers";
import { SERVER_ACTION_MAX_BYTES } from "@/lib/http/limits";
import { isMutating, isSameOrigin } from "@/lib/http/origin";
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
/** Reachable without a session: sign-in and assets. */
const PUBLIC_PREFIXES = ["/login", "/_next/", "/favicon"];

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
  if (isServerAction(request) && !isSameOrigin(request)) {
    // Next.js compares Origin with Host only when a browser sent Origin; a POST without it (or with
    // another site's) never reaches the action.
    response = refusal(403, "Cross-site request refused: the Origin header does not match this server.");
  } else if (isServerAction(request) && (await bodyExceeds(request, SERVER_ACTION_MAX_BYTES))) {
    // Next.js answers an oversized action body with a 500; say what is wrong instead.
    response = refusal(413, `The request body is too large: at most ${SERVER_ACTION_MAX_BYTES / (1024 * 1024)} MB.`);
  } else if (!sessionValue && !isPublic(pathname)) {
    const next = pathname + search;
    const url = new URL("/login", request.url);
    if (next !== "/") url.searchParams.set("next", next);
    response = NextResponse.redirect(url);
  } else {
    response = NextResponse.next({ request: { headers: pageRequestHeaders(request, nonce, csp) } });
    if (sessionValue) await slideSession(sessionValue, response, https);
  }
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(securityHeaders({ https }))) response.headers.set(name, value);
  return response;
}

/**
 * A server action call: a POST to a page (the only thing pages accept besides GET), with the action
 * id in the Next-Action header (fetch) or in the form (a form sent before JavaScript loaded).
 */
function isServerAction(request: NextRequest): boolean {
  return isMutating(request.method);
}

function refusal(status: number, detail: string): NextResponse {
  const title = status === 403 ? "Forbidden" : "Payload too large";
  return NextResponse.json(
    { type: `https://rollcall.dev/problems/${status}`, title, status, detail },
    { status, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } },
  );
}

/**
 * Whether the body is longer than max bytes, by its Content-Length or by reading it: the proxy
 * reads a copy (the action gets the original), of at most proxyClientMaxBodySize bytes.
 */
async function bodyExceeds(request: NextRequest, max: number): Promise<boolean> {
  if (Number(request.headers.get("content-length") ?? 0) > max) return true;
  if (!request.body) return false;
  const reader = request.body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      received += value.byteLength;
      if (received > max) return true;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
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
  // Everything but the API and the feed (see the top of this file).
  matcher: ["/((?!api/|feeds/).*)"],
};
