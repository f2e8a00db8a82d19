// The optional read replica (DATABASE_REPLICA_URL, a PostgreSQL streaming standby of DATABASE_URL): its
// pool, and how far behind it is, probed at most once a second. Which reads may use it is decided in
// lib/server/replica-reads.ts; nothing here writes.
//
// A replica that stops answering never fails a read: its pool sends a statement that could not be
// answered (connection refused or lost, standby shutting down, a query cancelled by a recovery conflict)
// to the primary instead, and marks the replica unreachable until the next probe finds it again.
import pg from "pg";
import { closeWithDb, getDbHandle, openPostgres, ReleasingPool, type Db, type DbHandle } from "./client";
import { readReplicaConfig, type ReplicaConfig } from "./replica-config";
import { judgeReplica, keepSamples, parseLsn, type PrimarySample, type ReplicaState } from "./replica-lag";

export type { ReplicaState } from "./replica-lag";

/** A probe answers for this long; then the next read probes again. */
export const PROBE_INTERVAL_MS = 1_000;
const PROBE_TIMEOUT_MS = 1_500;

// Connection refused/reset/timed out, SQLSTATE class 08 (connection exception), 57P01-03 (shutting down,
// crashed, starting), 40001/40P01 on a standby (cancelled by a conflict with recovery).
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EPIPE", "57P01", "57P02", "57P03", "40001", "40P01"]);
const UNAVAILABLE_MESSAGE = /connection terminated|timeout exceeded when trying to connect|connection ended|connection error|not queryable/i;

export function replicaCannotAnswer(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith("08"))) return true;
  return UNAVAILABLE_MESSAGE.test(e.message ?? "");
}

const baseQuery = pg.Pool.prototype.query as (this: pg.Pool, ...args: unknown[]) => unknown;

/** The replica's pool: a statement the replica cannot answer is answered by the primary. */
class ReplicaPool extends ReleasingPool {
  primary?: pg.Pool;
  onUnavailable?: (error: unknown) => void;

  /** A query on the replica itself, never the primary (the probe's). */
  queryOwn<R extends pg.QueryResultRow>(text: string): Promise<pg.QueryResult<R>> {
    return baseQuery.call(this, text) as Promise<pg.QueryResult<R>>;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(...args: any[]): any {
    if (typeof args[args.length - 1] === "function" || !this.primary) return baseQuery.apply(this, args);
    const primary = this.primary;
    return (baseQuery.apply(this, args) as Promise<unknown>).catch((error: unknown) => {
      if (!replicaCannotAnswer(error)) throw error;
      this.onUnavailable?.(error);
      return (primary.query as (...a: unknown[]) => Promise<unknown>).apply(primary, args);
    });
  }

  connect(): Promise<pg.PoolClient>;
  connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void) {
    if (callback) return super.connect(callback);
    if (!this.primary) return super.connect();
    const primary = this.primary;
    return super.connect().catch((error: unknown) => {
      if (!replicaCannotAnswer(error)) throw error;
      this.onUnavailable?.(error);
      return primary.connect();
    });
  }
}

type ReplicaHolder = {
  /** undefined until read from the environment (or set by configureReplica). */
  config?: ReplicaConfig | null;
  handle?: { db: Db; pool: ReplicaPool; primary: pg.Pool };
  state?: ReplicaState;
  probing?: Promise<ReplicaState>;
  samples: PrimarySample[];
  reported?: string;
};

const holder: ReplicaHolder = ((globalThis as { __rollcallReplica?: ReplicaHolder }).__rollcallReplica ??= { samples: [] });

function replicaConfig(): ReplicaConfig | null {
  if (holder.config === undefined) {
    try {
      holder.config = readReplicaConfig();
    } catch (error) {
      // The start checks the environment (lib/server/env.ts); a process that skipped it reads the primary only.
      console.error(`[db] read replica ignored: ${error instanceof Error ? error.message : error}`);
      holder.config = null;
    }
  }
  return holder.config;
}

/** Uses `config` as the read replica from now on (tests; null: none), forgetting the previous one. */
export async function configureReplica(config: ReplicaConfig | null): Promise<void> {
  await closeReplica();
  holder.config = config;
}

export async function closeReplica(): Promise<void> {
  const handle = holder.handle;
  holder.handle = undefined;
  holder.state = undefined;
  holder.probing = undefined;
  holder.samples = [];
  holder.reported = undefined;
  await handle?.pool.end().catch(() => undefined);
}

/** The primary when a replica may be used: PostgreSQL with DATABASE_REPLICA_URL set; null otherwise. */
async function primaryWithReplica(): Promise<{ config: ReplicaConfig; primary: DbHandle } | null> {
  const config = replicaConfig();
  if (!config) return null;
  const primary = await getDbHandle();
  if (primary.kind !== "postgres" || !primary.pool) return null;
  return { config, primary };
}

function replicaHandle(config: ReplicaConfig, primary: pg.Pool) {
  if (holder.handle && holder.handle.primary === primary) return holder.handle;
  const previous = holder.handle;
  if (previous) void previous.pool.end().catch(() => undefined);
  let pool: ReplicaPool | undefined;
  const opened = openPostgres(config.url, {
    applicationName: "rollcall-replica",
    connectionTimeoutMillis: 2_000,
    makePool: (poolConfig) => (pool = new ReplicaPool(poolConfig)),
  });
  pool!.primary = primary;
  pool!.onUnavailable = (error) => {
    setState({ status: "unreachable", reason: error instanceof Error ? error.message : String(error), checkedAt: new Date() });
  };
  holder.handle = { db: opened.db, pool: pool!, primary };
  closeWithDb(closeReplica);
  return holder.handle;
}

/** The replica's drizzle handle (reads only). Callers ask `replicaState()` first. */
export async function getReplicaDb(): Promise<Db> {
  const found = await primaryWithReplica();
  if (!found) return (await getDbHandle()).db;
  return replicaHandle(found.config, found.primary.pool!).db;
}

/** The replica's state, at most PROBE_INTERVAL_MS old; null when there is no replica to use. */
export async function replicaState(): Promise<ReplicaState | null> {
  const found = await primaryWithReplica();
  if (!found) return null;
  const state = holder.state;
  if (state && Date.now() - state.checkedAt.getTime() < PROBE_INTERVAL_MS) return state;
  const probing = (holder.probing ??= probe(found.config, found.primary.pool!).finally(() => {
    if (holder.probing === probing) holder.probing = undefined;
  }));
  return probing;
}

/** The maximum lag configured (REPLICA_MAX_LAG_SECONDS), or null without a replica. */
export function replicaMaxLagSeconds(): number | null {
  return replicaConfig()?.maxLagSeconds ?? null;
}

/** The primary's current WAL position: a read that must see a write made before now needs a replica past it. */
export async function primaryLsn(): Promise<bigint | null> {
  const found = await primaryWithReplica();
  if (!found) return null;
  const { rows } = await found.primary.pool!.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn");
  return parseLsn(rows[0].lsn);
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probe(config: ReplicaConfig, primary: pg.Pool): Promise<ReplicaState> {
  const { pool } = replicaHandle(config, primary);
  // The primary's position first: what the replica has replayed afterwards is at least that fresh.
  const before = Date.now();
  try {
    const { rows } = await withTimeout(primary.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn"), "primary");
    holder.samples.push({ at: before, lsn: parseLsn(rows[0].lsn) });
  } catch {
    // Without a fresh sample the replica is judged by older ones and its last replayed commit.
  }
  let state: ReplicaState;
  try {
    const { rows } = await withTimeout(
      pool.queryOwn<{ standby: boolean; replay: string | null; replayed_at: number | null }>(
        "select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replay, (extract(epoch from pg_last_xact_replay_timestamp()) * 1000)::float8 as replayed_at",
      ),
      "replica",
    );
    const row = rows[0];
    const now = Date.now();
    holder.samples = keepSamples(holder.samples, now, config.maxLagSeconds);
    state = judgeReplica(
      { standby: row.standby, replayLsn: row.replay ? parseLsn(row.replay) : null, replayedAt: row.replayed_at === null ? null : Number(row.replayed_at) },
      holder.samples,
      now,
      config.maxLagSeconds,
    );
  } catch (error) {
    state = { status: "unreachable", reason: error instanceof Error ? error.message : String(error), checkedAt: new Date() };
  }
  setState(state);
  return state;
}

function setState(state: ReplicaState): void {
  holder.state = state;
  // One line per change of status, not one per probe.
  if (holder.reported === state.status) return;
  const first = holder.reported === undefined;
  holder.reported = state.status;
  if (state.status === "ok") {
    if (!first) console.warn(`[db] read replica answering again (${state.lagSeconds.toFixed(1)} s behind): reads go to it`);
  } else if (state.status === "behind") {
    console.warn(`[db] read replica ${Number.isFinite(state.lagSeconds) ? `${state.lagSeconds.toFixed(1)} s` : "too far"} behind (at most ${replicaConfig()?.maxLagSeconds} s): reads go to the primary`);
  } else if (state.status === "unreachable" || state.status === "not_a_standby") {
    console.warn(`[db] read replica ${state.status === "unreachable" ? "unreachable" : "not a standby"} (${state.reason}): reads go to the primary`);
  }
}
