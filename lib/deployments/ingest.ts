import "server-only";
// Status ingest (issue 6): set-based SQL (arrays as single parameters, so no batch nears the
// 65,535-parameter limit), exactly-once by (source, eventId), last writer wins by (occurredAt,
// event key), summary deltas and the idempotency record in the same transaction as the events.
// The answer exists only after the last COMMIT.
//
// On PostgreSQL a batch is one transaction. On the embedded database (PGlite runs every statement
// synchronously in the server's event loop, and no page can read while a transaction holds it) a
// batch commits in parts of EMBEDDED_PART_SIZE events, contiguous by index, each all-or-nothing with
// its own summary deltas, audit entry, gate check and idempotency progress, with a turn of the event
// loop between parts so the pages' reads go first (db/pglite-priority.ts; issue #20 item 1). Parts
// run in request order, so a later part sees the earlier ones exactly as one transaction would.
//
// An event for a (device, update) without a deployment row creates the deployment with no
// rollout or wave (counted under rollout 0 / wave 0 in deployment_counts); rollout planning
// assigns it to a wave later.
import { createHash } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { getDb, type Db } from "@/db/client";
import type { Transaction as Tx } from "@/db/tx";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";
import { countIngestOutcome } from "@/lib/metrics/registry";
import { onShutdown } from "@/lib/server/lifecycle";
import { applyBatch } from "./ingest-batch";
import {
  claimInProcess,
  inFlightError,
  lockIdempotencyKey,
  maybePurgeExpiredKeys,
  readProgress,
  storeProgress,
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
  /**
   * Events per transaction (a positive integer). Default: EMBEDDED_PART_SIZE on the embedded
   * database, the whole batch in one transaction on PostgreSQL.
   */
  partSize?: number;
  /**
   * Tests only: called after each part's COMMIT but the last, with the request index committed
   * through. A throw here stops the batch where it is, as a killed process would.
   */
  afterPartCommit?: (committedThrough: number) => void | Promise<void>;
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

/**
 * Events per transaction on the embedded database: a part of 100 holds PGlite (and the event loop)
 * for about a tenth of a 1,000-event transaction, and committing in parts cost no measurable CPU
 * (bench/performance-choices.md, section 1, has the measurements behind the choice).
 */
export const EMBEDDED_PART_SIZE = 100;

const RETRYABLE_CODES = new Set(["40P01", "40001", "23503"]);
const MAX_ATTEMPTS = 4;

/**
 * Stores a batch of status events for `actor` and applies them to the deployments. Throws
 * HttpError (401/403, 409/422 idempotency, 413, 503 while shutting down) or a database error
 * (classified by problemFromError: unavailable → 503 + Retry-After, nothing acknowledged). Committed
 * in parts, the parts before such an error stay stored; a retry with the same key resumes after them.
 */
export async function ingestStatusEvents(actor: Actor, events: readonly unknown[], options: IngestOptions = {}): Promise<IngestOutcome> {
  assertCan(actor, "events.ingest");
  if (events.length > MAX_EVENTS_PER_BATCH) {
    throw new HttpError(413, `At most ${MAX_EVENTS_PER_BATCH.toLocaleString("en")} events per request; this one has ${events.length.toLocaleString("en")}. Split it.`);
  }
  if (options.partSize !== undefined && !(Number.isInteger(options.partSize) && options.partSize > 0)) {
    throw new RangeError(`partSize must be a positive integer, not ${options.partSize}`);
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
        const outcome = await ingestInParts(db, {
          actor,
          source,
          valid,
          rejected,
          total: events.length,
          idempotency,
          now,
          partSize: options.partSize ?? defaultPartSize(db),
          afterPartCommit: options.afterPartCommit,
        });
        // Counted once, after the last commit: a replayed answer was counted when it was first given.
        if (!outcome.replayed) countIngestOutcome({ ...outcome, rejected: outcome.rejected.length });
        return outcome;
      } finally {
        release();
      }
    })(),
  );
}

type Batch = {
  actor: Actor;
  source: string;
  /** Validated events and rejected rows of the whole request, each with its request index. */
  valid: ValidEvent[];
  rejected: RejectedEvent[];
  total: number;
  idempotency: { scope: string; key: string; hash: string } | null;
  now: Date;
  partSize: number;
  afterPartCommit?: (committedThrough: number) => void | Promise<void>;
};

type Progress = { committedThrough: number; answer: IngestResult };

const NOTHING_YET: Progress = { committedThrough: -1, answer: { accepted: 0, duplicates: 0, stale: 0, rejected: [] } };

/**
 * Commits the batch part after part, each part its own transaction. With an Idempotency-Key the
 * progress (index committed through, answer so far) is in the key's record, written by each part's
 * transaction: a retry after an interruption resumes after the last committed part instead of
 * applying one twice, and answers for the whole request.
 */
async function ingestInParts(db: Db, batch: Batch): Promise<IngestOutcome> {
  // What this call has committed itself (null: nothing yet); without a key, the only record of it.
  let ours: Progress | null = null;
  for (;;) {
    await afterLastReceipt();
    const step = await withRetry(() =>
      db.transaction(async (tx): Promise<{ done: boolean; replayed: boolean; progress: Progress }> => {
        let start = ours ?? NOTHING_YET;
        if (batch.idempotency) {
          const { scope, key, hash } = batch.idempotency;
          await lockIdempotencyKey(tx, scope, key);
          const stored = await readProgress(tx, scope, key, hash);
          // Between two of our parts another instance took the key and resumed the batch (possible
          // on PostgreSQL with parts forced): stop rather than apply a part twice; its record answers.
          if (ours && (stored?.status !== "partial" || stored.committedThrough !== ours.committedThrough)) throw inFlightError();
          if (stored?.status === "done") return { done: true, replayed: true, progress: { committedThrough: batch.total - 1, answer: stored.answer } };
          if (stored) start = stored;
        }
        const from = start.committedThrough + 1;
        const to = Math.min(batch.total, from + batch.partSize);
        const part = await applyPart(tx, batch, from, to);
        const progress = { committedThrough: to - 1, answer: addAnswers(start.answer, part) };
        const done = to >= batch.total;
        if (batch.idempotency) {
          const { scope, key, hash } = batch.idempotency;
          await storeProgress(tx, scope, key, hash, progress.answer, done ? null : progress.committedThrough);
          await maybePurgeExpiredKeys(tx);
        }
        return { done, replayed: false, progress };
      }),
    );
    receipts.lastMs = Date.now();
    if (step.done) return { ...step.progress.answer, replayed: step.replayed };
    ours = step.progress;
    await batch.afterPartCommit?.(ours.committedThrough);
    // A turn of the event loop: requests that arrived during the part are read and queue their
    // statements, which the embedded database's queue runs before the next part.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The events with request index in [from, to): applied in this transaction, answered for exactly those indexes. */
async function applyPart(tx: Tx, batch: Batch, from: number, to: number): Promise<IngestResult> {
  const inPart = (e: { index: number }) => e.index >= from && e.index < to;
  const result = await applyBatch(tx, batch.actor, batch.source, batch.valid.filter(inPart), batch.rejected.filter(inPart), batch.now);
  if (result.accepted + result.duplicates + result.stale + result.rejected.length !== to - from) {
    throw new Error(`ingest invariant broken: ${JSON.stringify({ ...result, rejected: result.rejected.length, from, to })}`);
  }
  return result;
}

/** The answers of consecutive parts as one (their rejected rows are in index order already). */
function addAnswers(a: IngestResult, b: IngestResult): IngestResult {
  return {
    accepted: a.accepted + b.accepted,
    duplicates: a.duplicates + b.duplicates,
    stale: a.stale + b.stale,
    rejected: [...a.rejected, ...b.rejected],
  };
}

async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
      if (attempt < MAX_ATTEMPTS && typeof code === "string" && RETRYABLE_CODES.has(code)) continue;
      throw error;
    }
  }
}

function defaultPartSize(db: Db): number {
  if (!((db as unknown as { $client?: unknown }).$client instanceof PGlite)) return Number.POSITIVE_INFINITY;
  // For benchmarks comparing part sizes in a running server; not a setting to tune in production.
  const forced = Number(process.env.ROLLCALL_PGLITE_INGEST_PART_SIZE);
  return Number.isInteger(forced) && forced > 0 ? forced : EMBEDDED_PART_SIZE;
}

// An event without an eventId wins a tie on occurredAt by its receipt time, taken in milliseconds
// when its transaction screens it (ingest-batch.ts): a part starts in a later millisecond than the
// last one of this process ended, so a later part (or batch) never loses such a tie to an earlier one.
const receipts: { lastMs: number } = ((globalThis as { __rollcallIngestReceipts?: { lastMs: number } }).__rollcallIngestReceipts ??= { lastMs: 0 });

async function afterLastReceipt(): Promise<void> {
  while (Date.now() <= receipts.lastMs) await new Promise((resolve) => setTimeout(resolve, 1));
}

function hashEvents(events: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(events)).digest("hex");
}
