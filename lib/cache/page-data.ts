import "server-only";
// Page data shared between viewers (issue #20 item 2). The overview and the rollout page show the
// same numbers to every role that may read them, so within one server process the viewers of a
// page share one read of its data: a read started at most PAGE_DATA_MAX_AGE_MS ago (finished or
// still running) answers everyone who asks meanwhile, instead of each view reading the same rows
// again. Each page states when its numbers were read (the data's `generatedAt`, "Live: updated
// 10:42:05 UTC"), which is never more than a second before the request plus the read itself.
//
// Authorisation stays per request: `sharedPageData` asks `assertCan(actor, action)` before it
// answers from the shared read, and the read itself runs the DAL function as the first viewer,
// with the DAL's own check. Every committed write of the kernel (lib/dal/mutation.ts) forgets all
// shared reads, so a page shown after one's own change (a wave halted, a plan saved) reads afresh
// in this process; another process's copy is at most a second old, as its page says. A failed
// read is not shared: the next viewer tries again.
import type { Actor } from "@/lib/auth/actor";
import { assertCan, type Action } from "@/lib/auth/permissions";
import { readSourceKey } from "@/lib/server/replica-reads";

export const PAGE_DATA_MAX_AGE_MS = 1_000;
/** Past this many keys, expired reads are swept out when a new one starts (rollout ids are keys). */
const SWEEP_ABOVE = 256;

type SharedRead = {
  startedAt: number;
  value: Promise<unknown>;
  /** The read has answered (a stale answer is only ever one that did). */
  settled?: boolean;
  /** A fresh read is under way behind this stale one (only one at a time). */
  refreshing?: boolean;
};
type Store = { reads: Map<string, SharedRead>; loads: number; generation: number };

// On globalThis, so the Next.js module copies of one process (and the write kernel) share one store.
const store: Store = ((globalThis as { __rollcallPageData?: Store }).__rollcallPageData ??= { reads: new Map(), loads: 0, generation: 0 });

/**
 * The page data under `key`, read by `load` at most `maxAgeMs` ago, for an actor allowed `action`
 * (asked on every call, shared or not). `load` must return the same for every actor allowed `action`.
 */
export async function sharedPageData<T>(
  actor: Actor | null | undefined,
  action: Action,
  key: string,
  load: () => Promise<T>,
  maxAgeMs = PAGE_DATA_MAX_AGE_MS,
  options: { staleWhileRecounting?: boolean } = {},
): Promise<T> {
  assertCan(actor, action);
  // Taken before any await: a read asked for before a write forgot the shared reads is never shared after it.
  const generation = store.generation;
  // A read from the replica is shared only with readers of the replica, never with a writer waiting for its own write.
  key = `${generation}|${await readSourceKey(actor)}|${key}`;
  const now = performance.now();
  const shared = store.reads.get(key);
  if (shared && now - shared.startedAt <= maxAgeMs) return shared.value as Promise<T>;
  // Expired, no write since (a write changes the generation, so the key): answer what was counted, with
  // its time, while one fresh count runs behind it and takes its place once it has answered.
  if (shared?.settled && options.staleWhileRecounting) {
    if (!shared.refreshing) {
      shared.refreshing = true;
      const fresh = startRead(key, now, load);
      fresh.value.then(
        () => {
          if (store.reads.get(key) === shared) store.reads.set(key, fresh);
        },
        () => (shared.refreshing = false),
      );
    }
    return shared.value as Promise<T>;
  }
  if (store.reads.size >= SWEEP_ABOVE) {
    for (const [k, read] of store.reads) if (now - read.startedAt > maxAgeMs) store.reads.delete(k);
  }
  const read = startRead(key, now, load);
  store.reads.set(key, read);
  return read.value as Promise<T>;
}

/** Starts a read for `key`; it marks itself settled when it answers, and a failed one forgets itself. */
function startRead(key: string, now: number, load: () => Promise<unknown>): SharedRead {
  const read: SharedRead = { startedAt: now, value: Promise.resolve().then(load) };
  store.loads++;
  read.value.then(
    () => (read.settled = true),
    () => {
      if (store.reads.get(key) === read) store.reads.delete(key);
    },
  );
  return read;
}

/** Forgets every shared read (after a committed write): the next viewer of each page reads afresh. */
export function forgetPageData(): void {
  store.reads.clear();
  store.generation = (store.generation ?? 0) + 1;
}

/** How many reads `sharedPageData` has started in this process (tests, the benchmark). */
export function pageDataLoads(): number {
  return store.loads;
}

/**
 * Reads that cost hundreds of milliseconds at 100,000 devices and change only through writes (each
 * of which forgets them in this process): the readiness matrix and per-wave readiness, the offline
 * media counts. Shared for 30 s; the sections that show them say when they were counted.
 */
export const SLOW_PAGE_DATA_MAX_AGE_MS = 30_000;

/** A shared read with the time it started: the numbers are as of then. */
export type Counted<T> = { countedAt: string; value: T };

/**
 * `sharedPageData` for a slow read (SLOW_PAGE_DATA_MAX_AGE_MS), answering when it was counted. Past 30 s
 * without a write in this process, the last count answers (its section says when it was counted) while
 * one recount runs behind it, so no viewer waits for a count that takes seconds on a large fleet; after
 * a write the next viewer waits for a fresh count, as with every shared read.
 */
export function sharedCountedData<T>(actor: Actor | null | undefined, action: Action, key: string, load: () => Promise<T>): Promise<Counted<T>> {
  return sharedPageData(
    actor,
    action,
    key,
    async () => {
      const countedAt = new Date().toISOString();
      return { countedAt, value: await load() };
    },
    SLOW_PAGE_DATA_MAX_AGE_MS,
    { staleWhileRecounting: true },
  );
}
