import "server-only";
// Which database a page or API read goes to: the read replica (DATABASE_REPLICA_URL) when it is close
// enough behind and already holds the reader's own last write, otherwise the primary.
//
// Read-your-writes: after a write through the kernel (lib/dal/mutation.ts) the writer's position is
// noted as the primary's WAL position (pg_current_wal_lsn()) — in the process, keyed by the user or
// token, and in an httpOnly cookie for the next request, which may reach another instance. The writer's
// reads go to the primary until the replica has replayed past that position; everyone else keeps
// reading the replica. The cookie lives REPLICA_MAX_LAG_SECONDS (+1 s): a replica used at all is at most
// that far behind, so afterwards it holds the write anyway. Writes, and reads inside DAL write functions
// and the kernel's transaction, never come here: they use getDb() (the primary).
import { getDb, type Db } from "@/db/client";
import { getReplicaDb, primaryLsn, replicaMaxLagSeconds, replicaState, type ReplicaState } from "@/db/replica";
import { parseLsn } from "@/db/replica-lag";
import type { Actor } from "@/lib/auth/actor";

export const WROTE_COOKIE = "rollcall_wrote_lsn";

export type ReadSource =
  | { kind: "primary"; reason: "no_replica" | "own_write" | ReplicaState["status"] }
  | { kind: "replica"; asOf: Date };

type Sticky = { lsn: bigint; until: number };
const MAX_STICKY = 10_000;
const sticky: Map<string, Sticky> = ((globalThis as { __rollcallStickyWrites?: Map<string, Sticky> }).__rollcallStickyWrites ??= new Map());

function actorKey(actor: Actor | null | undefined): string | null {
  if (!actor) return null;
  if (actor.kind === "user") return `user:${actor.userId}`;
  if (actor.kind === "token") return `token:${actor.tokenId}`;
  return null;
}

/** The cookie's value: the WAL position in hex, without the "/" of "0/3CEF120" (cookies would escape it). */
export function wroteLsnCookieValue(lsn: bigint): string {
  return lsn.toString(16).toUpperCase();
}

/** The cookie's WAL position, or null (absent, malformed, or not in a request). */
export function wroteLsnFromCookie(value: string | undefined): bigint | null {
  if (!value) return null;
  try {
    const text = decodeURIComponent(value);
    return /^[0-9A-Fa-f]{1,16}$/.test(text) ? BigInt(`0x${text}`) : parseLsn(text);
  } catch {
    return null;
  }
}

async function cookieLsn(): Promise<bigint | null> {
  try {
    const { cookies } = await import("next/headers");
    return wroteLsnFromCookie((await cookies()).get(WROTE_COOKIE)?.value);
  } catch {
    return null; // not in a request (tests, CLI)
  }
}

/** The newest write this reader must see: theirs in this process, or the cookie's. */
async function writerLsn(actor: Actor | null | undefined): Promise<bigint | null> {
  const key = actorKey(actor);
  let lsn: bigint | null = null;
  const noted = key ? sticky.get(key) : undefined;
  if (noted) {
    if (noted.until > Date.now()) lsn = noted.lsn;
    else sticky.delete(key!);
  }
  const fromCookie = await cookieLsn();
  if (fromCookie !== null && (lsn === null || fromCookie > lsn)) lsn = fromCookie;
  return lsn;
}

/** Where `actor`'s reads go now. */
export async function readSource(actor?: Actor | null): Promise<ReadSource> {
  const state = await replicaState();
  if (!state) return { kind: "primary", reason: "no_replica" };
  if (state.status !== "ok") return { kind: "primary", reason: state.status };
  const wrote = await writerLsn(actor);
  if (wrote !== null && state.replayLsn < wrote) return { kind: "primary", reason: "own_write" };
  return { kind: "replica", asOf: state.asOf };
}

/** "primary" or "replica": readers of one may share a read (lib/cache/page-data.ts), never across the two. */
export async function readSourceKey(actor?: Actor | null): Promise<ReadSource["kind"]> {
  return (await readSource(actor)).kind;
}

/**
 * The database for a page's or an API's read (the read-only query modules): the replica when
 * readSource says so, else the primary. Never for a write or for a read a write decides from.
 */
export async function getReadDb(actor?: Actor | null): Promise<Db> {
  const source = await readSource(actor);
  return source.kind === "replica" ? getReplicaDb() : getDb();
}

/** The read database and, when it is the replica, the moment its numbers are as of (null: the primary, fresh now). */
export async function getReadDbAsOf(actor?: Actor | null): Promise<{ db: Db; asOf: Date | null }> {
  const source = await readSource(actor);
  return source.kind === "replica" ? { db: await getReplicaDb(), asOf: source.asOf } : { db: await getDb(), asOf: null };
}

/** When `actor`'s reads go to the replica: the moment its numbers are as of; null when they go to the primary. */
export async function replicaAsOf(actor?: Actor | null): Promise<Date | null> {
  const source = await readSource(actor);
  return source.kind === "replica" ? source.asOf : null;
}

/** What a page says about its numbers: null when they come from the primary (as fresh as can be). */
export async function readFreshness(actor?: Actor | null): Promise<{ asOf: Date; lagSeconds: number } | null> {
  const source = await readSource(actor);
  if (source.kind !== "replica") return null;
  return { asOf: source.asOf, lagSeconds: Math.max(0, (Date.now() - source.asOf.getTime()) / 1000) };
}

/** After a committed write: `actor` reads the primary until the replica has replayed it. No replica: nothing. */
export async function noteWrite(actor: Actor | null | undefined): Promise<void> {
  const maxLag = replicaMaxLagSeconds();
  if (maxLag === null) return;
  const lsn = await primaryLsn();
  if (lsn === null) return;
  const windowSeconds = Math.ceil(maxLag) + 1;
  const key = actorKey(actor);
  if (key) {
    sticky.delete(key);
    sticky.set(key, { lsn, until: Date.now() + windowSeconds * 1000 });
    if (sticky.size > MAX_STICKY) sticky.delete(sticky.keys().next().value!);
  }
  try {
    const { cookies } = await import("next/headers");
    (await cookies()).set(WROTE_COOKIE, wroteLsnCookieValue(lsn), { httpOnly: true, sameSite: "lax", path: "/", maxAge: windowSeconds });
  } catch {
    // Not in a server action or route handler (a page render, tests, the CLI): the in-process note serves.
  }
}

/** GET /api/health's replica part: null without one. */
export async function replicaHealth(): Promise<{ status: ReplicaState["status"]; lagSeconds?: number; reason?: string } | null> {
  const state = await replicaState().catch(() => null);
  if (!state) return null;
  if (state.status === "ok" || state.status === "behind") {
    const lag = (Date.now() - state.asOf.getTime()) / 1000;
    return { status: state.status, lagSeconds: Number.isFinite(lag) && state.asOf.getTime() > 0 ? Math.round(Math.max(0, lag) * 10) / 10 : undefined };
  }
  return { status: state.status, reason: "reason" in state ? state.reason : undefined };
}
