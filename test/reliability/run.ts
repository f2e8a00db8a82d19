// `npm run test:reliability [-- --profile small|full] [--dist-dir DIR]`: the fault-injection suite
// (issue 9). Replays status events with duplicates and late arrivals through the HTTP API of the
// production server while killing database connections, restarting an instance with SIGTERM
// (PostgreSQL, two instances on one database) and kill -9 (embedded PGlite); then checks the
// deployments and summaries against an in-memory oracle and every acknowledged event against the
// history. Prints `reliability: N checks passed, M failed` and exits 1 on any failure.
//
//   --profile small|full   full (default): 200,000 events per database; small: 24,000 (CI)
//   --dist-dir DIR         an existing production build (default .next-rel, built if missing)
//   --database-url URL     PostgreSQL to create the test database on (default: local postgres)
//   --skip-postgres        embedded PGlite only (and --skip-pglite: PostgreSQL only)
//   --json FILE            also write {passed, failed, checks, faults} to FILE
//   --seed N               RNG seed of the traffic (default 9)
//   --keep                 keep the server logs and the PGlite data directory (printed at the end)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Checks } from "./checks";
import { PROFILES, type Context, type Profile } from "./context";
import { runPglite } from "./pglite";
import { runPostgres } from "./postgres";
import { stopAll } from "./server";

const root = path.resolve(import.meta.dirname, "../..");
const started = Date.now();
const log = (line: string): void => void process.stdout.write(`[reliability ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

function usage(message: string): never {
  console.error(`reliability: ${message}\nusage: run.ts [--profile small|full] [--dist-dir DIR] [--database-url URL] [--skip-postgres] [--skip-pglite] [--json FILE] [--seed N] [--keep]`);
  process.exit(2);
}

function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        profile: { type: "string", default: "full" },
        "dist-dir": { type: "string", default: ".next-rel" },
        "database-url": { type: "string", default: process.env.RELIABILITY_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres" },
        "skip-postgres": { type: "boolean", default: false },
        "skip-pglite": { type: "boolean", default: false },
        json: { type: "string" },
        seed: { type: "string", default: "9" },
        keep: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const name = values.profile;
  if (name !== "small" && name !== "full") usage(`--profile must be small or full, not "${name}"`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) usage("--seed must be an integer");
  const distDir = values["dist-dir"];
  if (path.isAbsolute(distDir) || distDir.includes("..")) usage("--dist-dir must be a directory inside the project, e.g. .next-rel");
  return {
    profile: { ...PROFILES[name], seed } as Profile,
    distDir,
    databaseUrl: values["skip-postgres"] ? null : values["database-url"],
    pglite: !values["skip-pglite"],
    json: values.json ?? null,
    keep: values.keep,
  };
}

function ensureBuild(distDir: string): void {
  if (fs.existsSync(path.join(root, distDir, "BUILD_ID"))) return;
  log(`no build in ${distDir}; building (a few minutes)…`);
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_DIST_DIR: distDir },
  });
  if (build.status !== 0) throw new Error("next build failed");
}

async function main(): Promise<number> {
  const options = readOptions();
  const checks = new Checks(log);
  const deferred: Array<() => Promise<void> | void> = [];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "rel-"));
  deferred.push(() => (options.keep ? log(`kept the logs and data in ${workDir}`) : fs.rmSync(workDir, { recursive: true, force: true })));
  const ctx: Context = {
    profile: options.profile,
    distDir: options.distDir,
    workDir,
    checks,
    log,
    defer: (cleanup) => deferred.push(cleanup),
  };
  const cleanUp = async () => {
    while (deferred.length) {
      try {
        await deferred.pop()!();
      } catch (error) {
        log(`cleanup: ${(error as Error).message}`);
      }
    }
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the servers and cleaning up`);
      void stopAll().then(cleanUp).finally(() => process.exit(130));
    });
  }

  // A hung suite must not hold CI: give up after a generous multiple of the profile's normal time.
  const limitSeconds = options.profile.name === "small" ? 600 : 3_600;
  setTimeout(() => {
    checks.check("run", `finishes within ${limitSeconds} s`, false, "stopped by the watchdog");
    console.log(`reliability: ${checks.passed} checks passed, ${checks.failed} failed (stopped after ${limitSeconds} s)`);
    void stopAll().then(cleanUp).finally(() => process.exit(1));
  }, limitSeconds * 1_000);

  log(`profile ${options.profile.name}: ${options.profile.sends.toLocaleString("en")} events per database in batches of ${options.profile.batchSize}, seed ${options.profile.seed}`);
  try {
    ensureBuild(options.distDir);
    const scenarios: Array<[string, () => Promise<void>]> = [];
    if (options.databaseUrl) scenarios.push(["postgres", () => runPostgres(ctx, options.databaseUrl!)]);
    else log("postgres: skipped (--skip-postgres)");
    if (options.pglite) scenarios.push(["pglite", () => runPglite(ctx)]);
    for (const [name, run] of scenarios) {
      const t0 = Date.now();
      try {
        await run();
      } catch (error) {
        checks.check(name, "scenario ran to the end", false, error instanceof Error ? (error.stack ?? error.message) : String(error));
      } finally {
        await stopAll();
      }
      log(`${name}: scenario took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } catch (error) {
    checks.check("setup", "build available", false, (error as Error).message);
  } finally {
    await stopAll();
    await cleanUp();
  }

  const seconds = (Date.now() - started) / 1000;
  console.log("\nReliability summary");
  for (const f of checks.faults) {
    console.log(`  ${f.scenario.padEnd(9)}${f.fault.padEnd(38)}health 200 after ${f.recoveredMs === null ? "—" : `${f.recoveredMs} ms`}${f.note ? ` (${f.note})` : ""}`);
  }
  for (const r of checks.results.filter((x) => !x.ok)) console.log(`  FAILED [${r.scenario}] ${r.name}: ${r.detail}`);
  console.log(`reliability: ${checks.passed} checks passed, ${checks.failed} failed (${seconds.toFixed(0)} s)`);
  if (options.json) {
    fs.mkdirSync(path.dirname(path.resolve(options.json)), { recursive: true });
    fs.writeFileSync(options.json, JSON.stringify({ passed: checks.passed, failed: checks.failed, seconds, checks: checks.results, faults: checks.faults }, null, 2));
  }
  return checks.failed > 0 || checks.passed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
