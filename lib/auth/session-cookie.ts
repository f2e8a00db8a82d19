// The next-auth session cookie: an encrypted JWT (A256GCM, key derived from AUTH_SECRET) carrying
// the user id, role, session version and sign-in time. Reading it never trusts the role: the
// database row decides (see request-actor.ts).
import { decode, encode, type JWT } from "next-auth/jwt";
import { authSecret } from "./secret";

/** Idle timeout: a session nobody uses for 8 hours ends. The proxy slides it on every request. */
export const SESSION_IDLE_SECONDS = 8 * 60 * 60;
/** Absolute timeout: 24 hours after sign-in, sign in again whatever happened since. */
export const SESSION_ABSOLUTE_SECONDS = 24 * 60 * 60;
/** The proxy re-issues the cookie when it is older than this (keeps Set-Cookie off most responses). */
export const SESSION_REFRESH_AFTER_SECONDS = 5 * 60;

export type SessionClaims = { uid: number; sv: number; role: string; authTime: number; iat?: number; exp?: number };

export function useSecureCookies(): boolean {
  return (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
}

export function sessionCookieName(): string {
  return useSecureCookies() ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** The cookie value, joining next-auth's `.0`, `.1` … chunks when it was split. */
export function readSessionCookie(get: (name: string) => string | undefined, names: string[]): string | undefined {
  const name = sessionCookieName();
  const whole = get(name);
  if (whole) return whole;
  const chunks = names
    .filter((n) => n.startsWith(`${name}.`) && /^\d+$/.test(n.slice(name.length + 1)))
    .sort((a, b) => Number(a.slice(name.length + 1)) - Number(b.slice(name.length + 1)));
  return chunks.length ? chunks.map((n) => get(n) ?? "").join("") : undefined;
}

export function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (cookies.has(name)) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw);
    }
  }
  return cookies;
}

function asClaims(payload: JWT | null): SessionClaims | null {
  if (!payload) return null;
  const { uid, sv, role, authTime, iat, exp } = payload as Record<string, unknown>;
  if (typeof uid !== "number" || typeof sv !== "number" || typeof role !== "string" || typeof authTime !== "number") return null;
  return { uid, sv, role, authTime, iat: typeof iat === "number" ? iat : undefined, exp: typeof exp === "number" ? exp : undefined };
}

/**
 * Claims of cookies decrypted recently, by secret and cookie value. Decrypting derives the key with
 * HKDF every time (next-auth/jwt), and the proxy and the page both read the cookie on every request;
 * the same ciphertext always decrypts to the same claims, so only successes are kept, the timeouts
 * are still checked on every read, and the oldest entry goes when the map is full.
 */
const CACHE_MAX = 1000;
const caches = { secret: "", decoded: new Map<string, SessionClaims>(), reissued: new Map<string, { token: string; at: number }>() };

/** The caches for the current secret (emptied when it changes). */
function cachesFor(secret: string) {
  if (caches.secret !== secret) {
    caches.secret = secret;
    caches.decoded.clear();
    caches.reissued.clear();
  }
  return caches;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= CACHE_MAX) map.delete(map.keys().next().value!);
  map.set(key, value);
}

async function decryptClaims(token: string): Promise<SessionClaims | null> {
  const secret = authSecret();
  const hit = cachesFor(secret).decoded.get(token);
  if (hit) return hit;
  const claims = asClaims(await decode({ token, secret }));
  if (claims) remember(cachesFor(secret).decoded, token, claims);
  return claims;
}

/** Decrypts and checks the timeouts; null for anything forged, expired or malformed. */
export async function decodeSessionToken(token: string | undefined, nowSeconds = Math.floor(Date.now() / 1000)): Promise<SessionClaims | null> {
  if (!token || token.length > 8192) return null;
  let claims: SessionClaims | null;
  try {
    claims = await decryptClaims(token);
  } catch {
    return null;
  }
  if (!claims) return null;
  if (claims.exp !== undefined && claims.exp <= nowSeconds) return null;
  if (claims.authTime + SESSION_ABSOLUTE_SECONDS <= nowSeconds) return null;
  return claims;
}

/** A fresh cookie value for the same claims (idle timeout starts again; absolute one does not). */
export function encodeSessionToken(claims: SessionClaims): Promise<string> {
  const { uid, sv, role, authTime } = claims;
  const remaining = authTime + SESSION_ABSOLUTE_SECONDS - Math.floor(Date.now() / 1000);
  return encode({
    token: { sub: String(uid), uid, sv, role, authTime },
    secret: authSecret(),
    maxAge: Math.max(1, Math.min(SESSION_IDLE_SECONDS, remaining)),
  });
}

/** How long the proxy hands out the same re-issued cookie for one old cookie. */
export const REISSUE_REUSE_SECONDS = 60;

/**
 * The fresh cookie value the proxy sends back for an old one (see `encodeSessionToken`). A client
 * that keeps sending the old value for a while — requests already in flight, a script that does not
 * keep cookies — gets the same fresh value for a minute instead of a new encryption per request.
 */
export async function reissueSessionToken(value: string, claims: SessionClaims, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const secret = authSecret();
  const hit = cachesFor(secret).reissued.get(value);
  if (hit && nowSeconds - hit.at < REISSUE_REUSE_SECONDS) return hit.token;
  const token = await encodeSessionToken(claims);
  remember(cachesFor(secret).reissued, value, { token, at: nowSeconds });
  return token;
}
