// The client address for throttling and the audit log. Next.js fills x-forwarded-for with the
// socket address only when the header is absent; behind a reverse proxy that appends, the
// right-most entry is the one our own proxy saw. Without a proxy a client can put anything there,
// which is why login throttling also counts per account.
export function clientIpFromHeaders(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  if (forwarded) {
    const hops = forwarded.split(",").map((h) => h.trim()).filter(Boolean);
    const last = hops[hops.length - 1];
    if (last) return normaliseIp(last);
  }
  const real = headers.get("x-real-ip");
  return real ? normaliseIp(real) : "unknown";
}

function normaliseIp(ip: string): string {
  const trimmed = ip.slice(0, 64);
  return trimmed.startsWith("::ffff:") ? trimmed.slice(7) : trimmed;
}
