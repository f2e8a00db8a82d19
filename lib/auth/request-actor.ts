import "server-only";
// Who is calling a route handler: `Authorization: Bearer rc_…` (an API token) or else the
// next-auth session cookie. Either way the database decides: revoked/expired tokens, disabled
// users and outdated session versions yield null.
import { assertSameOrigin } from "@/lib/http/origin";
import { HttpError } from "@/lib/http/problem";
import type { Actor, UserActor } from "./actor";
import { clientIpFromHeaders } from "./client-ip";
import { assertCan, type Action } from "./permissions";
import { decodeSessionToken, parseCookieHeader, readSessionCookie, type SessionClaims } from "./session-cookie";
import { resolveApiToken } from "./tokens";
import { findSessionUser, toUserActor } from "./sign-in";

export type RequestActorOptions = {
  /** Accept `?token=` as well as the Authorization header (only the Atom feed does). */
  allowQueryToken?: boolean;
};

function bearerToken(request: Request, options: RequestActorOptions): string | null | undefined {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // A malformed Authorization header is a failed attempt, not a reason to fall back to the cookie.
    return match ? match[1] : null;
  }
  if (options.allowQueryToken) {
    const fromQuery = new URL(request.url).searchParams.get("token");
    if (fromQuery !== null) return fromQuery;
  }
  return undefined;
}

/** The user behind verified session claims, or null when disabled, gone or signed out by a version bump. */
export async function userActorFromClaims(claims: SessionClaims | null, ip?: string): Promise<UserActor | null> {
  if (!claims) return null;
  const user = await findSessionUser(claims.uid);
  if (!user || user.disabled || user.sessionVersion !== claims.sv) return null;
  return toUserActor(user, ip);
}

export async function getRequestActor(request: Request, options: RequestActorOptions = {}): Promise<Actor | null> {
  const ip = clientIpFromHeaders(request.headers);
  const token = bearerToken(request, options);
  if (token !== undefined) return token === null ? null : resolveApiToken(token, ip);
  const cookies = parseCookieHeader(request.headers.get("cookie"));
  const value = readSessionCookie((name) => cookies.get(name), [...cookies.keys()]);
  if (!value) return null;
  return userActorFromClaims(await decodeSessionToken(value), ip);
}

/**
 * The actor allowed to do `action`, or an HttpError: 401 without valid credentials, 403 when not
 * allowed or when a cookie-authenticated write comes from another origin. Route handlers:
 * `try { const actor = await requireApiActor(req, "events.ingest"); … } catch (e) { return problemFromError(e) }`
 */
export async function requireApiActor(request: Request, action: Action, options: RequestActorOptions = {}): Promise<Actor> {
  const actor = await getRequestActor(request, options);
  if (!actor) {
    throw new HttpError(401, "Sign in or send an API token (Authorization: Bearer …).", {}, { "www-authenticate": 'Bearer realm="rollcall"' });
  }
  if (actor.kind === "user") assertSameOrigin(request);
  return assertCan(actor, action);
}
