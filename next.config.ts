import type { NextConfig } from "next";
import { securityHeaders } from "./lib/auth/security-headers";
import { PROXY_BODY_BUFFER_BYTES, SERVER_ACTION_MAX_BYTES } from "./lib/http/limits";

/**
 * The API and the feed are outside the proxy's matcher (proxy.ts explains why), so their security
 * headers come from here: the same set as pages, with a CSP that allows nothing (they render no
 * HTML), and the feed's no-referrer so its `?token=` never leaks. Headers set here win over the
 * same header from a route handler, so a route cannot weaken them. HSTS is decided at build time
 * here, so it follows X-Forwarded-Proto (the pages add it for an https NEXTAUTH_URL too).
 */
const NON_HTML_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const HSTS = securityHeaders({ https: true })["strict-transport-security"];

function headerList(values: Record<string, string>) {
  return Object.entries(values).map(([key, value]) => ({ key, value }));
}

const nextConfig: NextConfig = {
  // PGlite loads its wasm and extension bundles from its package folder at run time;
  // bundled, the build passes and every request fails with 500.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg"],
  poweredByHeader: false,
  // Separate build folders let several builds (tests, benchmarks) run side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  experimental: {
    // `forbidden()` renders app/forbidden.tsx with status 403 for signed-in users without the role.
    authInterrupts: true,
    // The status-event CSV upload (offline media, technicians) accepts up to 10 MB like the API.
    // proxy.ts answers 413 above it; a cut body (see proxyClientMaxBodySize) is still above it.
    serverActions: { bodySizeLimit: SERVER_ACTION_MAX_BYTES },
    // The proxy keeps only this much of a page POST's body (lib/http/limits.ts).
    proxyClientMaxBodySize: PROXY_BODY_BUFFER_BYTES,
  },
  async headers() {
    const common = securityHeaders({ https: false });
    const https = [{ type: "header" as const, key: "x-forwarded-proto", value: "https" }];
    return [
      { source: "/api/:path*", headers: headerList({ ...common, "content-security-policy": NON_HTML_CSP }) },
      { source: "/feeds/:path*", headers: headerList({ ...common, "referrer-policy": "no-referrer", "content-security-policy": NON_HTML_CSP }) },
      { source: "/api/:path*", has: https, headers: headerList({ "strict-transport-security": HSTS }) },
      { source: "/feeds/:path*", has: https, headers: headerList({ "strict-transport-security": HSTS }) },
    ];
  },
};

export default nextConfig;
