// The client address for throttling and the audit log (issue #14: X-Forwarded-For used to be taken
// from anyone, so a client could reset its own throttle, throttle someone else's address and write
// any address into the audit log).
//
// TRUST_PROXY is the number of reverse proxies in front of Rollcall. 0 (the default): the address of
// the TCP peer, and X-Forwarded-For is ignored. N: the Nth address from the right of X-Forwarded-For
// (each proxy appends the address it saw, so the right-most N were written by our own proxies).
//
// Next.js route handlers do not see the socket, and Next.js fills X-Forwarded-For with the socket
// address only when a client sent none. So `npm start` loads scripts/client-address.cjs into the
// server, which overwrites CLIENT_ADDRESS_HEADER on every request with the socket address (a copy
// the client sent never survives) and says so in CLIENT_ADDRESS_ENV.
export const CLIENT_ADDRESS_HEADER = "x-rollcall-client-address";
export const CLIENT_ADDRESS_ENV = "ROLLCALL_CLIENT_ADDRESS_HEADER";
export const TRUST_PROXY_MAX = 10;

/** A message naming TRUST_PROXY when its value is wrong, or null (the start script calls this). */
export function trustProxyProblem(env: Record<string, string | undefined>): string | null {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw) return null;
  if (!/^\d+$/.test(raw) || Number(raw) > TRUST_PROXY_MAX) {
    return `TRUST_PROXY must be the number of reverse proxies in front of Rollcall, 0 to ${TRUST_PROXY_MAX}, not "${raw}"`;
  }
  return null;
}

/** TRUST_PROXY as a number; anything unreadable counts as 0 (trust nothing). */
export function trustedProxies(env: Record<string, string | undefined> = process.env): number {
  return trustProxyProblem(env) === null ? Number(env.TRUST_PROXY?.trim() || 0) : 0;
}

/** The TCP peer: the header the server wrapper sets, or else what Next.js put in X-Forwarded-For. */
function socketAddress(headers: Headers, env: Record<string, string | undefined>): string | null {
  if (env[CLIENT_ADDRESS_ENV] === CLIENT_ADDRESS_HEADER) return headers.get(CLIENT_ADDRESS_HEADER);
  // Without the wrapper (next dev, a bare next start) this is only as good as Next.js makes it.
  return forwardedFor(headers).at(-1) ?? null;
}

function forwardedFor(headers: Headers): string[] {
  return (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
}

export function clientIpFromHeaders(headers: Headers, env: Record<string, string | undefined> = process.env): string {
  const hops = trustedProxies(env);
  const socket = socketAddress(headers, env);
  if (hops > 0) {
    const forwarded = forwardedFor(headers);
    // Fewer entries than proxies: the left-most is still one our own proxies wrote.
    if (forwarded.length > 0) return normaliseIp(forwarded[Math.max(0, forwarded.length - hops)]);
  }
  return socket ? normaliseIp(socket) : "unknown";
}

function normaliseIp(ip: string): string {
  const trimmed = ip.slice(0, 64);
  return trimmed.startsWith("::ffff:") ? trimmed.slice(7) : trimmed;
}
