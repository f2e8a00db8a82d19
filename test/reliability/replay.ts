// Sends the traffic over the HTTP API like a distribution tool that wants every batch stored
// exactly once: batches spread over the instances, a few in flight at a time; a 503, 409, a lost
// connection or a timeout is retried (on the next instance) with the same body and Idempotency-Key.
import type { Batch } from "./events";
import { fetchWithin, sleep } from "./server";

export type Answer = { accepted: number; duplicates: number; stale: number; rejected: unknown[] };

export type ReplayResult = {
  /** Event ids of the batches that got a 2xx answer. */
  acknowledged: Set<string>;
  totals: { accepted: number; duplicates: number; stale: number; rejected: number };
  replayedAnswers: number;
  failedBatches: Array<{ index: number; error: string }>;
  retries: number;
  /** Why attempts failed: "503", "409", "ECONNREFUSED", "timeout", … → count. */
  retryReasons: Record<string, number>;
  ms: number;
};

export type ReplayOptions = {
  batches: readonly Batch[];
  /** Base URLs to spread batches over; read on every attempt (instances come and go). */
  targets: () => readonly string[];
  token: string;
  lanes: number;
  /** Called after each batch with how many are done and the base URL that acknowledged it (null: failed). */
  onProgress?: (done: number, acknowledgedBy: string | null) => void;
  /** Stops the replay: batches not yet acknowledged count as failed. */
  signal?: AbortSignal;
  /** Give a batch up after retrying this long. */
  batchDeadlineMs?: number;
};

const RETRY_STATUSES = new Set([409, 429, 500, 502, 503, 504]);

export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { batches, token, lanes } = options;
  const deadline = options.batchDeadlineMs ?? 90_000;
  const result: ReplayResult = {
    acknowledged: new Set(),
    totals: { accepted: 0, duplicates: 0, stale: 0, rejected: 0 },
    replayedAnswers: 0,
    failedBatches: [],
    retries: 0,
    retryReasons: {},
    ms: 0,
  };
  const t0 = Date.now();
  let next = 0;
  let done = 0;
  const reason = (why: string) => {
    result.retries++;
    result.retryReasons[why] = (result.retryReasons[why] ?? 0) + 1;
  };

  async function send(batch: Batch): Promise<string | null> {
    const body = JSON.stringify(batch.events.map((e) => e.wire));
    const giveUpAt = Date.now() + deadline;
    let lastError = "";
    for (let attempt = 0; Date.now() < giveUpAt && !options.signal?.aborted; attempt++) {
      const targets = options.targets();
      const base = targets[(batch.index + attempt) % targets.length];
      try {
        const res = await fetchWithin(
          `${base}/api/v1/status-events`,
          { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": batch.idempotencyKey }, body },
          30_000,
        );
        const text = res.text;
        if (res.ok) {
          const answer = JSON.parse(text) as Answer;
          result.totals.accepted += answer.accepted;
          result.totals.duplicates += answer.duplicates;
          result.totals.stale += answer.stale;
          result.totals.rejected += answer.rejected.length;
          if (res.headers.get("idempotent-replayed") === "true") result.replayedAnswers++;
          for (const e of batch.events) result.acknowledged.add(e.wire.eventId);
          return base;
        }
        lastError = `${res.status} ${text.slice(0, 200)}`;
        if (!RETRY_STATUSES.has(res.status)) break;
        reason(String(res.status));
        const retryAfter = Number(res.headers.get("retry-after") || 0);
        await sleep(Math.min(1_000, Math.max(retryAfter * 1_000, 100 * 2 ** Math.min(attempt, 3))));
      } catch (error) {
        const e = error as { name?: string; cause?: { code?: string }; message?: string };
        const why = e.name === "TimeoutError" ? "timeout" : (e.cause?.code ?? e.message ?? "error");
        lastError = why;
        reason(why);
        await sleep(Math.min(1_000, 100 * 2 ** Math.min(attempt, 3)));
      }
    }
    result.failedBatches.push({ index: batch.index, error: lastError });
    return null;
  }

  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        if (options.signal?.aborted) {
          result.failedBatches.push({ index: batch.index, error: "replay stopped" });
          continue;
        }
        const by = await send(batch);
        done++;
        options.onProgress?.(done, by);
      }
    }),
  );
  result.ms = Date.now() - t0;
  return result;
}

/** Sends an already acknowledged batch again to one instance: the answer must come from the idempotency record. */
export async function resend(base: string, batch: Batch, token: string): Promise<{ status: number; replayed: boolean }> {
  const res = await fetchWithin(
    `${base}/api/v1/status-events`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": batch.idempotencyKey },
      body: JSON.stringify(batch.events.map((e) => e.wire)),
    },
    30_000,
  );
  return { status: res.status, replayed: res.headers.get("idempotent-replayed") === "true" };
}
