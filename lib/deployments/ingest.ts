import "server-only";
// Status ingest (issue 6): one transaction per batch, set-based SQL (arrays as single parameters,
// so no batch nears the 65,535-parameter limit), exactly-once by (source, eventId), last writer
// wins by (occurredAt, event key), summary deltas and the idempotency record in the same
// transaction. The answer exists only after COMMIT.
//
// An event for a (device, update) without a deployment row creates the deployment with no
// rollout or wave (counted under rollout 0 / wave 0 in deployment_counts); rollout planning
// assigns it to a wave later.
import { createHash } from "node:crypto";
import { getDb, type Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";
import { countIngestOutcome } from "@/lib/metrics/registry";
import { onShutdown } from "@/lib/server/lifecycle";
import { applyBatch } from "./ingest-batch";
import {
  claimInProcess,
  checkStoredAnswer,
  lockIdempotencyKey,
  maybePurgeExpiredKeys,
  storeAnswer,
} from "./ingest-idempotency";
import { MAX_EVENTS_PER_BATCH, validateEvents, type IngestResult, type RejectedEvent, type ValidEvent } from "./ingest-model";

export type { IngestResult, RejectedEvent } from "./ingest-model";


export type IngestOptions = {
  /** The database to write to (tests, benchmarks); the process-wide one otherwise. */
  db?: Db;
  /** Overrides the actor's source (`csv` for file imports, so re-importing a file deduplicates). */
  source?: string;
  idempotencyKey?: string | null;
  /** Hash of the request body as received; the idempotency check compares it. */
  requestHash?: string;
  now?: Date;
};

export type IngestOutcome = IngestResult & { replayed: boolean };

/** Event ids are unique per source: `token:<id>`, `user:<id>`, or a system label (`csv`, `seed`). */
export function sourceOf(actor: Actor): string {
  if (actor.kind === "token") return `token:${actor.tokenId}`;
  if (actor.kind === "user") return `user:${actor.userId}`;
  return actor.label;
}

// ---------------------------------------------------------------- in-flight batches (graceful shutdown)

type Inflight = { batches: Set<Promise<unknown>>; registered: boolean; stopping: boolean };
const inflight: Inflight = ((globalThis as { __rollcallIngest?: Inflight }).__rollcallIngest ??= {
  batches: new Set(),
  registered: false,
  stopping: false,
});

function track<T>(work: Promise<T>): Promise<T> {
  if (!inflight.registered) {
    inflight.registered = true;
    // SIGTERM: refuse new batches, let the running ones commit, then the lifecycle closes the database.
    onShutdown(drainIngest);
  }
  inflight.batches.add(work);
  work.then(
    () => inflight.batches.delete(work),
    () => inflight.batches.delete(work),
  );
  return work;
}

/** Refuses new batches (503 + Retry-After) and resolves once the batches in flight have finished. */
export async function drainIngest(): Promise<void> {
  inflight.stopping = true;
  await Promise.allSettled([...inflight.batches]);
}

/** Number of batches being written right now. */
export function batchesInFlight(): number {
  return inflight.batches.size;
}

// ---------------------------------------------------------------- the DAL entry point

const RETRYABLE_CODES = new Set(["40P01", "40001", "23503"]);
const MAX_ATTEMPTS = 4;

/**
 * Stores a batch of status events for `actor` and applies them to the deployments. Throws
 * HttpError (401/403, 409/422 idempotency, 413, 503 while shutting down) or a database error
 * (classified by problemFromError: unavailable → 503 + Retry-After, nothing acknowledged).
 */
export async function ingestStatusEvents(actor: Actor, events: readonly unknown[], options: IngestOptions = {}): Promise<IngestOutcome> {
  assertCan(actor, "events.ingest");
  if (events.length > MAX_EVENTS_PER_BATCH) {
    throw new HttpError(413, `At most ${MAX_EVENTS_PER_BATCH.toLocaleString("en")} events per request; this one has ${events.length.toLocaleString("en")}. Split it.`);
  }
  if (inflight.stopping) {
    throw new HttpError(503, "Rollcall is shutting down; nothing was stored. Send the batch again shortly.", {}, { "retry-after": "5" });
  }
  const source = options.source ?? sourceOf(actor);
  const idempotency = options.idempotencyKey
    ? { scope: source, key: options.idempotencyKey, hash: options.requestHash ?? hashEvents(events) }
    : null;
  const release = idempotency ? claimInProcess(idempotency.scope, idempotency.key) : () => {};
  // Tracked from here on, so a SIGTERM arriving while it waits for a connection still waits for it.
  return track(
    (async () => {
      try {
        const db = options.db ?? (await getDb());
        const now = options.now ?? new Date();
        const { valid, rejected } = validateEvents(events, now);
        const outcome = await runWithRetry(db, actor, source, valid, rejected, events.length, idempotency, now);
        // Counted once, after commit: a replayed answer was counted when it was first given.
        if (!outcome.replayed) countIngestOutcome({ ...outcome, rejected: outcome.rejected.length });
        return outcome;
      } finally {
        release();
      }
    })(),
  );
}

async function runWithRetry(
  db: Db,
  actor: Actor,
  source: string,
  valid: ValidEvent[],
  rejected: RejectedEvent[],
  total: number,
  idempotency: { scope: string; key: string; hash: string } | null,
  now: Date,
): Promise<IngestOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        if (idempotency) {
          await lockIdempotencyKey(tx, idempotency.scope, idempotency.key);
          const stored = await checkStoredAnswer(tx, idempotency.scope, idempotency.key, idempotency.hash);
          if (stored) return { ...stored, replayed: true };
        }
        const result = await applyBatch(tx, actor, source, valid, rejected, now);
        if (result.accepted + result.duplicates + result.stale + result.rejected.length !== total) {
          throw new Error(`ingest invariant broken: ${JSON.stringify({ ...result, rejected: result.rejected.length, total })}`);
        }
        if (idempotency) {
          await storeAnswer(tx, idempotency.scope, idempotency.key, idempotency.hash, result);
          await maybePurgeExpiredKeys(tx);
        }
        return { ...result, replayed: false };
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
      if (attempt < MAX_ATTEMPTS && typeof code === "string" && RETRYABLE_CODES.has(code)) continue;
      throw error;
    }
  }
}

function hashEvents(events: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(events)).digest("hex");
}
