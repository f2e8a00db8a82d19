// `npm test`: unit and integration tests (Vitest; on PGlite, and on PostgreSQL too when
// TEST_DATABASE_URL is set), then a production build, the live security tests on that build (a real
// server each; PGlite, and PostgreSQL too with TEST_DATABASE_URL), the reliability suite's small
// profile (fault injection; PostgreSQL part only with TEST_DATABASE_URL) and the browser tests
// (Playwright). Ends with one line `N passed, N failed` over everything.
// `npm run test:security` (`--security-only`): the in-process security tests, then the live ones on
// the existing build in .next-test (built first when there is none).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const root = path.resolve(import.meta.dirname, "..");
const results = path.join(root, "test-results");
const args = new Set(process.argv.slice(2));
const securityOnly = args.has("--security-only");
const runUnit = !args.has("--e2e-only") && !securityOnly;
const runE2e = !args.has("--unit-only") && !securityOnly;
const distDir = ".next-test";

function run(cmd: string, argv: string[], env: Record<string, string> = {}): number {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright has no browser of its own here.
  }
  return candidates.find((p): p is string => Boolean(p && fs.existsSync(p))) ?? null;
}

function ensureChromium(): string {
  let found = findChromium();
  if (found) return found;
  console.log("npm test: no Chromium found; trying `npx playwright install chromium`…");
  run("npx", ["playwright", "install", "chromium"]);
  found = findChromium();
  if (!found && process.getuid?.() === 0) {
    console.log("npm test: trying `apt-get install -y chromium`…");
    if (run("apt-get", ["install", "-y", "chromium"]) !== 0) {
      run("apt-get", ["update"]);
      run("apt-get", ["install", "-y", "chromium"]);
    }
    found = findChromium();
  }
  if (!found) {
    console.error(
      "npm test: the browser tests need Chromium and none could be installed. Run one of:\n" +
        "  sudo apt-get update && sudo apt-get install -y chromium\n" +
        "  npx playwright install chromium\n" +
        "or set CHROMIUM_PATH to a Chromium or Chrome binary, then run npm test again.",
    );
    process.exit(1);
  }
  return found;
}

type Tally = { passed: number; failed: number; skipped: number };

function readVitest(file: string): Tally | null {
  if (!fs.existsSync(file)) return null;
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

function readReliability(file: string): Tally | null {
  if (!fs.existsSync(file)) return null;
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  return { passed: r.passed, failed: r.failed, skipped: 0 };
}

/** The reliability suite creates its own database: on the server of TEST_DATABASE_URL, through its `postgres` database. */
function reliabilityArgs(distDir: string, json: string): string[] {
  const args = ["--conditions=react-server", "--import", "tsx", "test/reliability/run.ts", "--profile", "small", "--dist-dir", distDir, "--json", json];
  const testUrl = process.env.TEST_DATABASE_URL;
  if (!testUrl) return [...args, "--skip-postgres"];
  const admin = new URL(testUrl);
  admin.pathname = "/postgres";
  return [...args, "--database-url", admin.toString()];
}

/** The live security tests (vitest.live.config.ts) on the build in distDir: PGlite, then PostgreSQL when TEST_DATABASE_URL is set. */
function runLiveSecurity(): void {
  const databases = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
  for (const database of databases) {
    const json = path.join(results, `security-live-${database}.json`);
    const code = run("npx", ["vitest", "run", "-c", "vitest.live.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${json}`], {
      NEXT_DIST_DIR: distDir,
      ...(database === "pglite" ? { TEST_DATABASE_URL: "" } : {}),
    });
    tallies.push([`security, live server (${database})`, readVitest(json), code]);
    if (code !== 0) exit = 1;
  }
}

function readPlaywright(file: string): Tally | null {
  if (!fs.existsSync(file)) return null;
  const s = JSON.parse(fs.readFileSync(file, "utf8")).stats;
  return { passed: s.expected, failed: s.unexpected + s.flaky, skipped: s.skipped };
}

fs.rmSync(results, { recursive: true, force: true });
fs.mkdirSync(results, { recursive: true });
const chromiumPath = runE2e ? ensureChromium() : "";
let exit = 0;
const tallies: Array<[string, Tally | null, number]> = [];

if (runUnit) {
  const code = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(results, "unit.json")}`]);
  tallies.push(["unit and integration", readVitest(path.join(results, "unit.json")), code]);
  if (code !== 0) exit = 1;
}

if (securityOnly) {
  const json = path.join(results, "security.json");
  const code = run("npx", ["vitest", "run", "test/security", "--reporter=default", "--reporter=json", `--outputFile.json=${json}`]);
  tallies.push(["security, in process", readVitest(json), code]);
  if (code !== 0) exit = 1;
  let built = fs.existsSync(path.join(root, distDir, "BUILD_ID"));
  if (!built) {
    console.log(`npm run test:security: no build in ${distDir} yet, building…`);
    built = run("npx", ["next", "build"], { NEXT_DIST_DIR: distDir }) === 0;
  } else {
    console.log(`npm run test:security: testing the existing build in ${distDir} (delete it to rebuild).`);
  }
  if (built) runLiveSecurity();
  else tallies.push(["security, live server", null, 1]);
}

if (runE2e) {
  let code = run("npx", ["next", "build"], { NEXT_DIST_DIR: distDir });
  if (code === 0) {
    runLiveSecurity();
    const json = path.join(results, "reliability.json");
    const reliability = run(process.execPath, reliabilityArgs(distDir, json));
    tallies.push(["reliability (fault injection)", readReliability(json), reliability]);
    if (reliability !== 0) exit = 1;
    code = run("npx", ["playwright", "test"], {
      CI: "true",
      CHROMIUM_PATH: chromiumPath,
      NEXT_DIST_DIR: distDir,
      PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(results, "e2e.json"),
    });
  } else {
    console.error("npm test: the production build failed; browser tests not run.");
  }
  tallies.push(["browser (e2e)", readPlaywright(path.join(results, "e2e.json")), code]);
  if (code !== 0) exit = 1;
}

let passed = 0;
let failed = 0;
let skipped = 0;
console.log("\nSummary");
for (const [name, tally, code] of tallies) {
  if (!tally) {
    console.log(`  ${name}: no results (exit ${code})`);
    failed += 1;
    continue;
  }
  // A runner that failed without counting a failed test (crash, build error) still counts as one failure.
  const extra = code !== 0 && tally.failed === 0 ? 1 : 0;
  console.log(`  ${name}: ${tally.passed} passed, ${tally.failed + extra} failed, ${tally.skipped} skipped`);
  passed += tally.passed;
  failed += tally.failed + extra;
  skipped += tally.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(exit || (failed > 0 ? 1 : 0));
