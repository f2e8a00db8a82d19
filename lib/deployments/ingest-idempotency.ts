import "server-only";
// Idempotency-Key for status ingest: the same key with the same body answers the stored result
// again; with a different body 422; while the first request still runs 409. Keys live 24 h.
//
// "Still running" is a transaction-scoped advisory lock (PostgreSQL: across app instances) plus an
// in-process set (the embedded database runs one transaction at a time, so a second request would
// otherwise just wait). Neither outlives a killed connection, so a retry after a 503 is never
// locked out; the stored answer commits in the batch's own transaction.
//
// A batch committed in parts (the embedded database, lib/deployments/ingest.ts) writes its progress
// in each part's transaction: status 'partial', the request index committed through and the answer
// so far. A retry with the same key and body after an interruption resumes after that index.
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

/** 409: a request with this key is still being processed. */
export function inFlightError(): HttpError {
  return new HttpError(409, "A request with this Idempotency-Key is still being processed; retry once it has finished.", {}, { "retry-after": "1" });
}

/** Marks (scope, key) as running in this process; returns the release function. */
export function claimInProcess(scope: string, key: string): () => void {
  const id = `${scope}\u001f${key}`;
  if (running.keys.has(id)) throw inFlightError();
  running.keys.add(id);
  return () => running.keys.delete(id);
}

/** Inside the batch transaction: another instance holding the key → 409. */
export async function lockIdempotencyKey(tx: Tx, scope: string, key: string): Promise<void> {
  const [lock] = await txRows<{ ok: boolean }>(
    tx,
    sql`select pg_try_advisory_xact_lock(hashtextextended(${`idempotency\u001f${scope}\u001f${key}`}, 0)) as ok`,
  );
  if (!lock?.ok) throw inFlightError();
}

/** What a key's record says about its request: answered whole, or committed part of the way. */
export type StoredProgress =
  | { status: "done"; answer: IngestResult }
  | { status: "partial"; committedThrough: number; answer: IngestResult };

/** The record of this key if the same body was sent before (null: never, or expired); 422 if another body was. */
export async function readProgress(tx: Tx, scope: string, key: string, requestHash: string): Promise<StoredProgress | null> {
  const [row] = await txRows<{ request_hash: string; status: string; committed_through: number | null; response_body: unknown }>(
    tx,
    sql`
    select request_hash, status, committed_through, response_body from idempotency_keys
    where scope = ${scope} and key = ${key}
      and created_at > now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
  );
  if (!row) return null;
  if (row.request_hash !== requestHash) {
    throw new HttpError(422, "This Idempotency-Key was already used with a different request body. Use a new key for a new batch.");
  }
  const answer = (typeof row.response_body === "string" ? JSON.parse(row.response_body) : row.response_body) as IngestResult;
  if (row.status === "done") return { status: "done", answer };
  if (row.status === "partial" && row.committed_through !== null) return { status: "partial", committedThrough: row.committed_through, answer };
  throw inFlightError();
}

/**
 * Writes the key's record in the transaction that commits the events it counts: the whole answer
 * (`committedThrough` null), or the answer so far of a batch committed in parts.
 */
export async function storeProgress(tx: Tx, scope: string, key: string, requestHash: string, answer: IngestResult, committedThrough: number | null): Promise<void> {
  const status = committedThrough === null ? "done" : "partial";
  const responseStatus = committedThrough === null ? 200 : null;
  await tx.execute(sql`
    insert into idempotency_keys as k (key, scope, request_hash, status, committed_through, response_status, response_body, created_at)
    values (${key}, ${scope}, ${requestHash}, ${status}, ${committedThrough}, ${responseStatus}, ${JSON.stringify(answer)}::jsonb, now())
    on conflict (scope, key) do update set request_hash = excluded.request_hash, status = excluded.status,
      committed_through = excluded.committed_through, response_status = excluded.response_status,
      response_body = excluded.response_body, created_at = excluded.created_at`);
}

type Purge = { lastAt: number };
const purge: Purge = ((globalThis as { __rollcallIdempotencyPurge?: Purge }).__rollcallIdempotencyPurge ??= { lastAt: 0 });

/** Deletes expired keys at most every ten minutes per process. */
export async function maybePurgeExpiredKeys(tx: Tx): Promise<void> {
  if (Date.now() - purge.lastAt < 10 * 60_000) return;
  purge.lastAt = Date.now();
  await tx.execute(sql`delete from idempotency_keys where created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`);
}
