// A real production server for tests that only the real thing can answer (Next.js' own request
// handling: body buffering, header merging, server-action checks): `scripts/start.ts` from an
// existing build (NEXT_DIST_DIR, default .next-test) on a free port with a fresh data directory and
// the demo seeded — embedded PGlite, or a fresh PostgreSQL database on TEST_DATABASE_URL's server.
//
// `sql()` and `token()` reach the database directly. PGlite allows one process at a time, so there
// they stop the server, do their work and start it again (calls made together share one restart);
// batch them with Promise.all.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { closeDb, openPglite, openPostgres, useDbHandle, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { readDemoLogins, seedDemo, writeDemoLogins } from "@/lib/seed/demo";
import type { TokenScope } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { Instance } from "@/test/reliability/server";
import { freePort } from "@/test/support/free-port";

const root = path.resolve(import.meta.dirname, "../../..");

export type LiveDatabase = "pglite" | "postgres";

export type LiveServer = {
  /** http://127.0.0.1:<port> — also the server's NEXTAUTH_URL unless opts.env names another. */
  base: string;
  database: LiveDatabase;
  stop(): Promise<void>;
  /** The demo users (one per role) with their passwords. */
  logins: { role: string; email: string; password: string }[];
  /** A new API token with these scopes (the plain value). */
  token(scopes: string[]): Promise<string>;
  /** Rows of a parameterised query ($1, $2 …) against the server's database. */
  sql(query: string, params?: unknown[]): Promise<any[]>;
  /** The server's output so far (stdout and stderr, each line with ms since its start). */
  log(): string;
};

export type LiveServerOptions = {
  env?: Record<string, string>;
  /** Default: postgres when TEST_DATABASE_URL is set, else pglite. */
  database?: LiveDatabase;
};

/** The build the live tests run against; the runner (scripts/test.ts) builds it first. */
export function liveDistDir(): string {
  return process.env.NEXT_DIST_DIR || ".next-test";
}

export function defaultLiveDatabase(): LiveDatabase {
  return process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
}

export async function startLiveServer(opts: LiveServerOptions = {}): Promise<LiveServer> {
  const database = opts.database ?? defaultLiveDatabase();
  const distDir = liveDistDir();
  if (!fs.existsSync(path.join(root, distDir, "BUILD_ID"))) {
    throw new Error(`No production build in ${distDir}: run \`NEXT_DIST_DIR=${distDir} npx next build\` (npm run test:security does).`);
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-live-"));
  const dataDir = path.join(workDir, "data");
  fs.mkdirSync(dataDir, { mode: 0o700 });

  let url: string | undefined;
  let dropDatabase = async () => {};
  let handle: DbHandle | null = null;
  if (database === "postgres") {
    const testUrl = process.env.TEST_DATABASE_URL;
    if (!testUrl) throw new Error("database: postgres needs TEST_DATABASE_URL (its server gets a fresh database)");
    const name = `rollcall_live_${process.pid}_${Date.now().toString(36)}`;
    const admin = new URL(testUrl);
    admin.pathname = "/postgres";
    await withClient(admin.toString(), (c) => c.query(`CREATE DATABASE ${name}`));
    const own = new URL(testUrl);
    own.pathname = `/${name}`;
    url = own.toString();
    dropDatabase = () => withClient(admin.toString(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
    // What `rollcall db seed --demo` does: migrate, seed, keep the logins next to the data.
    handle = openPostgres(url, { max: 2, applicationName: "rollcall-live-test" });
    useDbHandle(handle);
    await migrateDatabase(handle);
    const { logins } = await seedDemo(handle.db);
    await writeDemoLogins(dataDir, logins);
  }

  const port = await freePort();
  const instance = new Instance({
    name: `live-${database}`,
    port,
    distDir,
    logDir: workDir,
    database: { dataDir, url },
    env: opts.env,
  });
  const start = async () => {
    instance.start();
    if ((await instance.waitHealthy(180_000)) === null) {
      throw new Error(`The live server did not become healthy:\n${instance.logTail(40)}`);
    }
  };
  await start();
  // On PGlite the start script seeded the demo and wrote the logins.
  const logins = await readDemoLogins(dataDir);

  /** Work that needs the database directly; on PGlite grouped into one stop-and-restart. */
  type Job = { run: (h: DbHandle) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  let pending: Job[] = [];
  let flushing: Promise<void> | null = null;
  async function flushPglite(): Promise<void> {
    const outcomes: Array<(failed: unknown) => void> = [];
    let failure: unknown = null;
    try {
      await instance.terminate(30_000);
      const own = await openPglite(path.join(dataDir, "pglite"), "live-test");
      useDbHandle(own);
      try {
        while (pending.length) {
          const batch = pending;
          pending = [];
          for (const job of batch) {
            await job.run(own).then(
              (value) => outcomes.push((failed) => (failed ? job.reject(failed) : job.resolve(value))),
              (error) => outcomes.push(() => job.reject(error)),
            );
          }
        }
      } finally {
        await closeDb();
      }
      await start();
    } catch (error) {
      failure = error;
    } finally {
      flushing = null;
    }
    // Answered once the server is back, so the caller can go on using it.
    for (const settle of outcomes) settle(failure);
    if (failure) for (const job of pending.splice(0)) job.reject(failure);
    if (pending.length) schedule();
  }
  function schedule() {
    // A macrotask later, so calls made in the same tick share the restart.
    flushing ??= new Promise<void>((r) => setTimeout(r, 0)).then(flushPglite);
  }
  function direct<T>(run: (h: DbHandle) => Promise<T>): Promise<T> {
    if (handle) {
      useDbHandle(handle);
      return run(handle);
    }
    return new Promise<T>((resolve, reject) => {
      pending.push({ run, resolve: resolve as (v: unknown) => void, reject });
      schedule();
    });
  }

  let stopped = false;
  return {
    base: instance.base,
    database,
    logins,
    log: () => instance.logTail(100_000),
    token: (scopes) =>
      direct(async () => {
        const created = await createApiToken({ kind: "system", label: "live test" }, { name: `live ${scopes.join(",")} ${Date.now()}`, scopes: scopes as TokenScope[] });
        return created.token;
      }),
    sql: (query, params = []) =>
      direct(async (h) => {
        if (h.pool) return (await h.pool.query(query, params)).rows;
        return (await h.pglite!.query(query, params)).rows as unknown[];
      }) as Promise<any[]>,
    async stop() {
      if (stopped) return;
      stopped = true;
      await flushing?.catch(() => undefined);
      if (instance.running) await instance.terminate(30_000).catch(() => instance.killGroup("SIGKILL"));
      if (handle) await closeDb();
      await dropDatabase().catch((error) => console.error(`live harness: could not drop the test database: ${error}`));
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
