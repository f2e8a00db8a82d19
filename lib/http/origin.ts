// CSRF defence for cookie-authenticated route handlers: a POST/PATCH/PUT/DELETE carried by the
// session cookie must come from our own origin. Bearer-token requests carry no ambient credential
// and are not checked. Server actions get the same check from Next.js itself.
import { HttpError } from "./problem";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isMutating(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The origin this server answers as: NEXTAUTH_URL's (the address users open), never one built from
 * Host or X-Forwarded-Host, which any direct client can set (issue #14). Without NEXTAUTH_URL (tests,
 * next dev) the request's own URL stands in; `npm start` always sets it.
 */
export function allowedOrigins(request: Request): Set<string> {
  const configured = process.env.NEXTAUTH_URL?.trim();
  if (configured) {
    try {
      return new Set([new URL(configured).origin]);
    } catch {
      // a wrong NEXTAUTH_URL is reported by the start script; refuse rather than guess
      return new Set();
    }
  }
  return new Set([new URL(request.url).origin]);
}

export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin) return origin !== "null" && allowedOrigins(request).has(origin);
  // Browsers send Origin on every cross-site POST; fall back to Referer for the odd one that does not.
  const referer = request.headers.get("referer");
  if (!referer) return false;
  try {
    return allowedOrigins(request).has(new URL(referer).origin);
  } catch {
    return false;
  }
}

/** Throws 403 when a mutating cookie-authenticated request comes from another origin. */
export function assertSameOrigin(request: Request): void {
  if (!isMutating(request.method)) return;
  if (!isSameOrigin(request)) {
    throw new HttpError(403, "Cross-site request refused: the Origin header does not match this server.");
  }
}
