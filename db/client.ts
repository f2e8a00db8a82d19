// One database handle per process: a pg Pool when DATABASE_URL is set, otherwise embedded PGlite
// in the data directory (guarded by a lock file). Kept on globalThis so Next.js module copies and
// hot reloads share it; a failed start is forgotten so the next caller retries.
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { ConfigError, readDbConfig, type DbConfig } from "./config";
import { DatabaseUnavailableError } from "./errors";
import { acquireDataDirLock, releaseDataDirLock } from "./lock";
import { withReadPriority } from "./pglite-priority";
import { txRows } from "./tx";
import * as schema from "./schema";

/** Both drivers expose the same drizzle query API; the node-postgres type stands for both. */
export type Db = NodePgDatabase<typeof schema>;
export type DbKind = "pglite" | "postgres";

export type DbHandle = {
  db: Db;
  kind: DbKind;
  close: () => Promise<void>;
  /** The pg pool (postgres only), for a dedicated connection such as an advisory lock. */
  pool?: pg.Pool;
  pglite?: PGlite;
};

type Holder = { promise?: Promise<DbHandle>; handle?: DbHandle; companions?: Set<() => Promise<void>> };
const holder: Holder = ((globalThis as { __rollcallDb?: Holder }).__rollcallDb ??= {});

export function pgliteOptions() {
  return { extensions: { pg_trgm } };
}

export async function openPglite(dataDir: string | undefined, role = "server"): Promise<DbHandle> {
  if (dataDir) acquireDataDirLock(dataDir, role);
  try {
    // Page reads before queued write transactions (db/pglite-priority.ts, issue #20 item 1).
    const client = withReadPriority(await PGlite.create(dataDir, pgliteOptions()));
    const db = drizzlePglite({ client, schema, casing: "snake_case" }) as unknown as Db;
    return {
      db,
      kind: "pglite",
      pglite: client,
      close: async () => {
        if (!client.closed) await client.close();
        if (dataDir) releaseDataDirLock(dataDir);
      },
    };
  } catch (error) {
    if (dataDir) releaseDataDirLock(dataDir);
    throw error;
  }
}

/**
 * drizzle's transaction() sends BEGIN before its try/finally, so when BEGIN fails (the backend was
 * killed between checkout and BEGIN) the client is never released: each such kill shrinks the pool
 * for good, and pool.end() (SIGTERM) then waits forever. A checked-out client whose connection dies
 * goes back to the pool as broken here; the caller's later release() does nothing.
 */
export class ReleasingPool extends pg.Pool {
  connect(): Promise<pg.PoolClient>;
  connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void) {
    if (callback) return super.connect(callback); // pool.query's path releases on errors itself
    return super.connect().then(releaseWhenBroken);
  }
}

function releaseWhenBroken(client: pg.PoolClient): pg.PoolClient {
  const release = client.release.bind(client);
  let released = false;
  const onError = (error: Error) => client.release(error);
  // A connection that dies during a query reports to that query and ends, without always emitting 'error'.
  const onEnd = () => client.release(new Error("the database connection ended"));
  client.release = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener("error", onError);
    client.removeListener("end", onEnd);
    release(err);
  };
  client.on("error", onError);
  client.on("end", onEnd);
  return client;
}

export type PostgresOptions = {
  max?: number;
  applicationName?: string;
  connectionTimeoutMillis?: number;
  /** Another pool class with ReleasingPool's behaviour (the read replica's falls back to the primary). */
  makePool?: (config: pg.PoolConfig) => ReleasingPool;
};

export function openPostgres(url: string, options: PostgresOptions = {}): DbHandle {
  const pool = (options.makePool ?? ((config) => new ReleasingPool(config)))({
    connectionString: url,
    max: options.max ?? Number(process.env.DATABASE_POOL_MAX || 10),
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 60_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: options.applicationName ?? "rollcall",
  });
  // An idle client losing its connection (PostgreSQL restarted) must not crash the process.
  pool.on("error", (error) => console.error(`[db] idle connection lost: ${error.message}`));
  // A checked-out client whose backend dies mid-transaction (pg_terminate_backend, restart) fails its
  // query and also emits 'error'; unlistened, that event would crash the process.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error(`[db] connection lost: ${error.message}`));
  });
  const db = drizzlePg({ client: pool, schema, casing: "snake_case" });
  return { db, kind: "postgres", pool, close: () => pool.end() };
}

export function openDatabase(config: DbConfig = readDbConfig(), role = "server"): Promise<DbHandle> {
  return config.kind === "postgres" ? Promise.resolve(openPostgres(config.url)) : openPglite(config.dataDir, role);
}

/** The process-wide handle, opened on first use. */
export function getDbHandle(): Promise<DbHandle> {
  if (holder.handle) return Promise.resolve(holder.handle);
  holder.promise ??= openDatabase().then(
    (handle) => (holder.handle = handle),
    (error) => {
      holder.promise = undefined;
      throw error;
    },
  );
  return holder.promise;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Makes `handle` the process-wide database (tests, CLI commands that opened their own). */
export function useDbHandle(handle: DbHandle): void {
  holder.handle = handle;
  holder.promise = Promise.resolve(handle);
}

export async function closeDb(): Promise<void> {
  const handle = holder.handle ?? (await holder.promise?.catch(() => undefined));
  holder.handle = undefined;
  holder.promise = undefined;
  const companions = [...(holder.companions ?? [])];
  holder.companions?.clear();
  await handle?.close();
  for (const close of companions) await close().catch(() => undefined);
}

/** Closes `close` with the process-wide database (closeDb): the read replica's pool (db/replica.ts). */
export function closeWithDb(close: () => Promise<void>): void {
  (holder.companions ??= new Set()).add(close);
}

/** Rows of a raw (parameterised) query, the same on both drivers (db/tx.ts's `txRows`). */
export const queryRows: <T>(db: Db, query: SQL) => Promise<T[]> = txRows;

/** Answers quickly whether the database is reachable; throws DatabaseUnavailableError if not. */
export async function pingDatabase(timeoutMs = 2_000): Promise<DbKind> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError("no answer within " + timeoutMs + " ms")), timeoutMs);
  });
  try {
    const handle = await Promise.race([getDbHandle(), timeout]);
    await Promise.race([handle.db.execute(sql`select 1`), timeout]);
    return handle.kind;
  } finally {
    clearTimeout(timer);
  }
}

/** At start: one clear line naming DATABASE_URL when the configured PostgreSQL cannot be reached. */
export async function assertReachable(handle: DbHandle): Promise<void> {
  if (handle.kind !== "postgres") return;
  try {
    await handle.pool!.query("select 1");
  } catch (error) {
    await handle.close().catch(() => undefined);
    const e = error as { code?: string; message?: string };
    throw new ConfigError("DATABASE_URL", `cannot connect to the database (${[e.code, e.message].filter(Boolean).join(": ")})`);
  }
}
