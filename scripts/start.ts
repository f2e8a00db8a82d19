// `npm start`: check the configuration, build if there is no build, migrate, seed the demo into an
// empty embedded database, print the address (and the demo logins, once, when seeded), then serve with `next start` (one
// process on the embedded database; on PostgreSQL two sharing the port, or WEB_CONCURRENCY of them).
import { spawn, spawnSync } from "node:child_process";
import cluster from "node:cluster";
import fs from "node:fs";
import path from "node:path";
import { dataRoot } from "@/db/config";
import { readDemoLogins } from "@/lib/seed/demo";
import { ensureAuthSecret } from "@/lib/auth/secret";
import { readServerEnv } from "@/lib/server/env";
import { demoLoginsBanner, prepareDatabase } from "@/lib/server/prepare-database";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
/** Puts each request's socket address where the app can trust it (see lib/auth/client-ip.ts). */
const clientAddressModule = path.join(root, "scripts", "client-address.cjs");

function fail(message: string): never {
  console.error(`rollcall: ${message}`);
  process.exit(1);
}

async function main() {
  let env;
  try {
    env = readServerEnv();
  } catch (error) {
    fail((error as Error).message);
  }
  const data = dataRoot();
  fs.mkdirSync(data, { recursive: true, mode: 0o700 });
  const authSecret = process.env.AUTH_SECRET?.trim() || ensureAuthSecret(data);

  const distDir = path.join(root, process.env.NEXT_DIST_DIR || ".next");
  if (!fs.existsSync(path.join(distDir, "BUILD_ID"))) {
    console.log("rollcall: no build yet, building (about a minute)…");
    const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: process.env });
    if (build.status !== 0) fail("the build failed (see above)");
  }

  let seeded = false;
  try {
    const prepared = await prepareDatabase(env.db, data, (line) => console.log(`rollcall: ${line}`));
    seeded = prepared.seeded;
    if (prepared.advice) console.log(`rollcall: ${prepared.advice}`);
  } catch (error) {
    fail((error as Error).message);
  }

  const url = env.nextAuthUrl;
  console.log(`\nRollcall is starting on ${url}  (database: ${env.db.kind === "pglite" ? `embedded, ${env.db.dataDir}` : "PostgreSQL"})`);
  for (const line of demoLoginsBanner(await readDemoLogins(data), path.join(data, "demo-logins.txt"), seeded)) console.log(line);
  console.log("");

  const serverEnv = {
    NEXTAUTH_URL: url,
    AUTH_SECRET: authSecret,
    NEXTAUTH_SECRET: authSecret,
    ROLLCALL_DATA_DIR: data,
    // Our instrumentation finishes in-flight work and closes the database on SIGTERM.
    NEXT_MANUAL_SIG_HANDLE: "true",
  };
  if (env.workers > 1) return serveWorkers(env.workers, env.port, serverEnv);

  const child = spawn(process.execPath, ["--require", clientAddressModule, nextBin, "start", "-p", String(env.port)], {
    cwd: root,
    stdio: ["inherit", "pipe", "inherit"],
    env: { ...process.env, ...serverEnv },
  });
  forwardServerOutput(child.stdout!);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
}

/**
 * Several `next start` processes on one port (PostgreSQL only): the cluster module shares the
 * listening socket, so rendering — CPU-bound, one core per process — uses every core. A worker that
 * dies is replaced; one that dies within 10 s of starting stops the server (it would only loop).
 * SIGTERM/SIGINT reach every worker, which drains its requests and ingest batches, then exits.
 */
function serveWorkers(count: number, port: number, serverEnv: Record<string, string>): void {
  cluster.setupPrimary({ exec: nextBin, args: ["start", "-p", String(port)], cwd: root, execArgv: [...process.execArgv, "--require", clientAddressModule], silent: true });
  let stopping = false;
  let exitCode = 0;
  const fork = () => {
    const startedAt = Date.now();
    const worker = cluster.fork(serverEnv);
    forwardServerOutput(worker.process.stdout!);
    worker.process.stderr?.pipe(process.stderr);
    worker.on("exit", (code, signal) => {
      if (stopping) {
        exitCode = Math.max(exitCode, code ?? (signal ? 128 + 15 : 1));
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
        return;
      }
      if (Date.now() - startedAt < 10_000) fail(`a server process exited during its start (code ${code ?? signal}); see above`);
      console.error(`rollcall: a server process exited (code ${code ?? signal}); starting another`);
      fork();
    });
  };
  console.log(`rollcall: ${count} server processes share port ${port} (WEB_CONCURRENCY)`);
  for (let i = 0; i < count; i++) fork();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
}

/**
 * The server's output, less Next.js's "Experiments (use with caution)" list: the experimental
 * options in next.config.ts (authInterrupts for 403 pages, the server-action and proxy body limits)
 * are deliberate and documented there, and a warning on every start only trains operators to skip
 * warnings.
 */
function forwardServerOutput(stream: NodeJS.ReadableStream): void {
  let inExperiments = false;
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const plain = line.replace(/\u001b\[[0-9;]*m/g, "");
      if (plain.includes("Experiments (use with caution)")) {
        inExperiments = true;
        continue;
      }
      if (inExperiments && /^\s{2,}\S/.test(plain)) continue;
      inExperiments = false;
      process.stdout.write(`${line}\n`);
    }
  });
  stream.on("end", () => {
    if (rest) process.stdout.write(rest);
  });
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
