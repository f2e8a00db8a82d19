import "server-only";
// Idempotency-Key for status ingest: the same key with the same body answers the stored result
// again; with a different body 422; while the first request still runs 409. Keys live 24 h.
//
// "Still running" is a transaction-scoped advisory lock (PostgreSQL: across app instances) plus an
// in-process set (the embedded database runs one transaction at a time, so a second request would
// otherwise just wait). Neither outlives a killed connection, so a retry after a 503 is never
// locked out; the stored answer commits in the batch's own transaction.
import { sql } from "drizzle-orm";
import { txRows, type Tx } from "@/db/tx";
import { HttpError } from "@/lib/http/problem";
import type { IngestResult } from "./ingest-model";

export const IDEMPOTENCY_TTL_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Validates an Idempotency-Key header value (printable ASCII, ≤255 characters). */
export function parseIdempotencyKey(value: string | null): string | null {
  if (value === null) return null;
  const key = value.trim().replace(/^"(.*)"$/, "$1");
  if (!KEY_PATTERN.test(key)) {
    throw new HttpError(400, "Idempotency-Key must be 1–255 printable ASCII characters without spaces.");
  }
  return key;
}

type Running = { keys: Set<string> };
const running: Running = ((globalThis as { __rollcallIdempotency?: Running }).__rollcallIdempotency ??= { keys: new Set() });

function inFlight(): HttpError {
  return new HttpError(409, "A request with this Idempotency-Key is still being processed; retry once it has finished.", {}, { "retry-after": "1" });
}

/** Marks (scope, key) as running in this process; returns the release function. */
export function claimInProcess(scope: string, key: string): () => void {
  const id = `${scope}\u001f${key}`;
  if (running.keys.has(id)) throw inFlight();
  running.keys.add(id);
  return () => running.keys.delete(id);
}

/** Inside the batch transaction: another instance holding the key → 409. */
export async function lockIdempotencyKey(tx: Tx, scope: string, key: string): Promise<void> {
  const [lock] = await txRows<{ ok: boolean }>(
    tx,
    sql`select pg_try_advisory_xact_lock(hashtextextended(${`idempotency\u001f${scope}\u001f${key}`}, 0)) as ok`,
  );
  if (!lock?.ok) throw inFlight();
}

/** The stored answer for this key if the same body was sent before; 422 if another body was. */
export async function checkStoredAnswer(tx: Tx, scope: string, key: string, requestHash: string): Promise<IngestResult | null> {
  const [row] = await txRows<{ request_hash: string; status: string; response_body: unknown }>(
    tx,
    sql`
    select request_hash, status, response_body from idempotency_keys
    where scope = ${scope} and key = ${key}
      and created_at > now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
  );
  if (!row) return null;
  if (row.request_hash !== requestHash) {
    throw new HttpError(422, "This Idempotency-Key was already used with a different request body. Use a new key for a new batch.");
  }
  if (row.status !== "done") throw inFlight();
  const body = typeof row.response_body === "string" ? JSON.parse(row.response_body) : row.response_body;
  return body as IngestResult;
}

export async function storeAnswer(tx: Tx, scope: string, key: string, requestHash: string, answer: IngestResult): Promise<void> {
  await tx.execute(sql`
    insert into idempotency_keys as k (key, scope, request_hash, status, response_status, response_body, created_at)
    values (${key}, ${scope}, ${requestHash}, 'done', 200, ${JSON.stringify(answer)}::jsonb, now())
    on conflict (scope, key) do update set request_hash = excluded.request_hash, status = 'done',
      response_status = excluded.response_status, response_body = excluded.response_body, created_at = excluded.created_at`);
}

type Purge = { lastAt: number };
const purge: Purge = ((globalThis as { __rollcallIdempotencyPurge?: Purge }).__rollcallIdempotencyPurge ??= { lastAt: 0 });

/** Deletes expired keys at most every ten minutes per process. */
export async function maybePurgeExpiredKeys(tx: Tx): Promise<void> {
  if (Date.now() - purge.lastAt < 10 * 60_000) return;
  purge.lastAt = Date.now();
  await tx.execute(sql`delete from idempotency_keys where created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`);
}
