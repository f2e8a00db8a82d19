import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // lib/ files that reach the database start with `import "server-only"`; outside Next.js it is a no-op.
      "server-only": path.resolve(import.meta.dirname, "test/server-only.ts"),
    },
  },
  test: {
    include: ["{lib,db,app,components,bin,scripts,test}/**/*.test.{ts,tsx}"],
    // Against a production build and a real server: vitest.live.config.ts, run by scripts/test.ts after the build.
    exclude: ["**/node_modules/**", "test/security/live/**"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
