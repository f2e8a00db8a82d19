// Read priority for the embedded database (issue #20 item 1). PGlite is one connection in the
// server's event loop: a transaction holds it from BEGIN to COMMIT, and PGlite's own lock serves
// callers first come, first served. With ingest posting batches of 1,000 two at a time, a page's
// statement queued behind the batch running *and* the one waiting (about 230 ms each), and a page
// of several statements did that once per statement: overview p99 ≈ 1 s.
//
// Here every top-level call goes through one queue of our own, one at a time as PGlite would run
// them, each transaction started from a fresh turn of the event loop (so requests that arrived
// meanwhile are read and queue their statements first), with single statements (`query`, `exec`: page reads, mostly) before whole transactions
// (ingest batches, the write kernel). A statement then waits at most for the transaction already
// running. After a statement a waiting transaction holds back for GRACE_MS more, so a page's next
// statement (a few milliseconds of JavaScript later) does not land behind a fresh batch; and a
// transaction that statements have kept waiting MAX_TRANSACTION_WAIT_MS goes before newer ones, so
// a steady stream of reads never starves ingest. Nothing about a transaction changes: it still commits as
// one, its caller is answered only after COMMIT, and statements inside it use the transaction's
// own handle, which bypasses this queue (as PGlite's own lock is bypassed there).
import type { PGlite } from "@electric-sql/pglite";

export const GRACE_MS = 5;
export const MAX_TRANSACTION_WAIT_MS = 500;

type Kind = "statement" | "transaction";
type Waiter = { kind: Kind; since: number; start: () => void };

export type PriorityStats = { statements: number; transactions: number; statementWaitMs: number; transactionWaitMs: number };

/** The queue; exported for tests, which drive it without a database. */
export class PriorityQueue {
  private readonly statements: Waiter[] = [];
  private readonly transactions: Waiter[] = [];
  private running = false;
  private graceUntil = 0;
  private lastTransactionEnd = -Infinity;
  private dispatching = false;
  private graceTimer: NodeJS.Timeout | undefined;
  readonly stats: PriorityStats = { statements: 0, transactions: 0, statementWaitMs: 0, transactionWaitMs: 0 };

  constructor(
    private readonly options: { graceMs: number; maxTransactionWaitMs: number } = { graceMs: GRACE_MS, maxTransactionWaitMs: MAX_TRANSACTION_WAIT_MS },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs `work` when its turn comes; one piece of work at a time. */
  run<T>(kind: Kind, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const since = this.now();
      const start = () => {
        const waited = this.now() - since;
        if (kind === "statement") {
          this.stats.statements++;
          this.stats.statementWaitMs += waited;
        } else {
          this.stats.transactions++;
          this.stats.transactionWaitMs += waited;
        }
        let done: Promise<T>;
        try {
          done = work();
        } catch (error) {
          done = Promise.reject(error);
        }
        done.then(resolve, reject).finally(() => this.finish(kind));
      };
      (kind === "statement" ? this.statements : this.transactions).push({ kind, since, start });
      if (kind === "statement") this.dispatch();
      else this.next();
    });
  }

  private finish(kind: Kind) {
    this.running = false;
    if (kind === "statement") this.graceUntil = this.now() + this.options.graceMs;
    else this.lastTransactionEnd = this.now();
    if (this.statements.length) this.dispatch();
    else this.next();
  }

  /**
   * A transaction starts from a macrotask, never from the microtask that finished the last piece of
   * work: PGlite answers without touching the event loop, so a batch started there would chain
   * batch after batch while incoming requests sit unread in their sockets and enqueue nothing.
   * Statements start at once when it is their turn (waiting a turn of a busy event loop, behind
   * other requests' rendering, would only slow the reads this queue is for).
   */
  private next() {
    if (this.running || this.dispatching) return;
    this.dispatching = true;
    setImmediate(() => {
      this.dispatching = false;
      this.dispatch();
    });
  }

  private dispatch() {
    if (this.running) return;
    const now = this.now();
    const oldest = this.transactions[0];
    // Overdue counts only the time statements kept the oldest transaction waiting, not the time it
    // queued behind another transaction (with two batches in flight one always queues).
    const overdue = oldest !== undefined && now - Math.max(oldest.since, this.lastTransactionEnd) >= this.options.maxTransactionWaitMs;
    let waiter: Waiter | undefined;
    if (this.statements.length && !overdue) waiter = this.statements.shift();
    else if (oldest && (overdue || now >= this.graceUntil)) waiter = this.transactions.shift();
    else if (oldest) {
      // In the grace after a statement: look again when it ends (a statement arriving first is run first).
      clearTimeout(this.graceTimer);
      this.graceTimer = setTimeout(() => this.next(), Math.max(0, this.graceUntil - now));
      return;
    }
    if (!waiter) return;
    this.running = true;
    waiter.start();
  }
}

const QUEUES = new WeakMap<PGlite, PriorityQueue>();

/** The queue of a client made by `withReadPriority`, for the benchmark's counts. */
export function priorityQueueOf(client: PGlite): PriorityQueue | undefined {
  return QUEUES.get(client);
}

/**
 * Puts `client`'s top-level `query`, `exec` and `transaction` through one priority queue (in place;
 * returns the same client). `ROLLCALL_PGLITE_READ_PRIORITY=off` leaves the client as it is.
 */
export function withReadPriority(client: PGlite, queue = new PriorityQueue()): PGlite {
  if (process.env.ROLLCALL_PGLITE_READ_PRIORITY === "off" || QUEUES.has(client)) return client;
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((...args: Parameters<PGlite["query"]>) => queue.run("statement", () => query(...args))) as PGlite["query"];
  client.exec = ((...args: Parameters<PGlite["exec"]>) => queue.run("statement", () => exec(...args))) as PGlite["exec"];
  client.transaction = ((...args: Parameters<PGlite["transaction"]>) => queue.run("transaction", () => transaction(...args))) as PGlite["transaction"];
  QUEUES.set(client, queue);
  return client;
}
