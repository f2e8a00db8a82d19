// The live tests (test/security/live, and test/live for the outbox with real server processes): each file starts a production server from the
// build in NEXT_DIST_DIR (default .next-test) with test/security/live/harness.ts. One file at a time:
// every server takes a core while it starts. `npm run test:security` builds first when needed.
import { defineConfig } from "vitest/config";
import base from "./vitest.config";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/security/live/**/*.test.ts", "test/live/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
