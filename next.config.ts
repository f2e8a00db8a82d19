import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its wasm and extension bundles from its package folder at run time;
  // bundled, the build passes and every request fails with 500.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg"],
  poweredByHeader: false,
  // Separate build folders let several builds (tests, benchmarks) run side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `forbidden()` renders app/forbidden.tsx with status 403 for signed-in users without the role.
  // The status-event CSV upload (offline media, technicians) accepts up to 10 MB like the API.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "10mb" } },
};

export default nextConfig;
