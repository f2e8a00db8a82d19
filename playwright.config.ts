import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT || 3100);
const dataDir = process.env.E2E_DATA_DIR || ".data-e2e";
const distDir = process.env.NEXT_DIST_DIR || ".next";

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/e2e.json" }]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || undefined,
      // Debian's Chromium in a closed network, as root.
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // A fresh embedded database per run: the demo seed is what the specs read.
    command: `rm -rf ${dataDir} && node --conditions=react-server --import tsx scripts/start.ts`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      ROLLCALL_DATA_DIR: dataDir,
      NEXT_DIST_DIR: distDir,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: "",
      // The throttle spec gives its failed sign-ins their own X-Forwarded-For address, as a reverse
      // proxy would, so the other specs' sign-ins from 127.0.0.1 are not throttled by them.
      TRUST_PROXY: "1",
    },
  },
});
