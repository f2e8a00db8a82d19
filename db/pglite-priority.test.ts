import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { PriorityQueue, priorityQueueOf, withReadPriority } from "./pglite-priority";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Work that records when it starts and ends, and checks nothing else runs at the same time. */
function recorder() {
  const log: string[] = [];
  let running = 0;
  let overlapped = false;
  const work = (name: string, ms: number) => async () => {
    if (running++ > 0) overlapped = true;
    log.push(`start ${name}`);
    await sleep(ms);
    running--;
    log.push(`end ${name}`);
    return name;
  };
  return { log, work, overlapped: () => overlapped };
}

describe("read priority for the embedded database", () => {
  it("runs a statement before a transaction that was queued earlier, one piece of work at a time", async () => {
    const queue = new PriorityQueue({ graceMs: 0, maxTransactionWaitMs: 10_000 });
    const r = recorder();
    const batch1 = queue.run("transaction", r.work("batch 1", 40));
    const batch2 = queue.run("transaction", r.work("batch 2", 40));
    while (!r.log.includes("start batch 1")) await sleep(1);
    const page = queue.run("statement", r.work("page", 5));
    expect(await Promise.all([batch1, batch2, page])).toEqual(["batch 1", "batch 2", "page"]);
    expect(r.log).toEqual(["start batch 1", "end batch 1", "start page", "end page", "start batch 2", "end batch 2"]);
    expect(r.overlapped()).toBe(false);
  });

  it("keeps a waiting transaction back for the grace after a statement, so a page's next statement goes first", async () => {
    const queue = new PriorityQueue({ graceMs: 300, maxTransactionWaitMs: 10_000 });
    const r = recorder();
    const first = queue.run("statement", r.work("page read 1", 5));
    const batch = queue.run("transaction", r.work("batch", 20));
    await first;
    await sleep(5);
    await queue.run("statement", r.work("page read 2", 5));
    await batch;
    expect(r.log).toEqual(["start page read 1", "end page read 1", "start page read 2", "end page read 2", "start batch", "end batch"]);
  });

  it("lets a transaction in once statements have kept it waiting too long", async () => {
    const queue = new PriorityQueue({ graceMs: 50, maxTransactionWaitMs: 60 });
    const r = recorder();
    let stop = false;
    const reads = (async () => {
      for (let i = 0; !stop; i++) await queue.run("statement", r.work(`read ${i}`, 10));
    })();
    await sleep(5);
    const started = performance.now();
    await queue.run("transaction", r.work("batch", 5));
    const waited = performance.now() - started;
    stop = true;
    await reads;
    expect(waited).toBeGreaterThanOrEqual(55);
    expect(waited).toBeLessThan(5_000);
    expect(r.overlapped()).toBe(false);
  });

  it("starts a statement at once, and a transaction only from a later turn of the event loop", async () => {
    const queue = new PriorityQueue({ graceMs: 0, maxTransactionWaitMs: 10_000 });
    let statement = false;
    let transaction = false;
    const read = queue.run("statement", async () => {
      statement = true;
    });
    expect(statement).toBe(true);
    await read;
    const batch = queue.run("transaction", async () => {
      transaction = true;
    });
    expect(transaction).toBe(false);
    await batch;
    expect(transaction).toBe(true);
  });

  it("answers a failure to its caller and goes on with the next", async () => {
    const queue = new PriorityQueue({ graceMs: 0, maxTransactionWaitMs: 10_000 });
    const failing = queue.run("transaction", async () => {
      throw new Error("deadlock detected");
    });
    const thrown = queue.run("statement", () => {
      throw new Error("thrown before any await");
    });
    await Promise.all([expect(failing).rejects.toThrow("deadlock detected"), expect(thrown).rejects.toThrow("thrown before any await")]);
    expect(await queue.run("statement", async () => "next")).toBe("next");
  });

  it("on PGlite: a read waits only for the transaction already running, and transactions still commit whole", async () => {
    const client = withReadPriority(await PGlite.create());
    try {
      await client.exec("create table counts (n int not null)");
      await client.query("insert into counts values (0)");
      const order: string[] = [];
      let firstBegan: () => void = () => {};
      const began = new Promise<void>((r) => (firstBegan = r));
      // A batch that takes a while between its statements (as ingest does its JavaScript), then another queued behind it.
      const batch = (name: string) =>
        client.transaction(async (tx) => {
          await tx.query("update counts set n = n + 1");
          if (name === "batch 1") firstBegan();
          await sleep(60);
          await tx.query("update counts set n = n + 1");
          order.push(name);
        });
      const first = batch("batch 1");
      const second = batch("batch 2");
      await began;
      const read = client.query<{ n: number }>("select n from counts").then((res) => {
        order.push("read");
        return res.rows[0].n;
      });
      // The read sees the first batch whole (both of its updates), never half of one.
      expect(await read).toBe(2);
      await Promise.all([first, second]);
      expect(order).toEqual(["batch 1", "read", "batch 2"]);
      expect((await client.query<{ n: number }>("select n from counts")).rows[0].n).toBe(4);
      expect(priorityQueueOf(client)!.stats.transactions).toBe(2);
    } finally {
      await client.close();
    }
  });

  it("leaves the client alone when switched off", async () => {
    process.env.ROLLCALL_PGLITE_READ_PRIORITY = "off";
    try {
      const client = await PGlite.create();
      withReadPriority(client);
      expect(priorityQueueOf(client)).toBeUndefined();
      await client.close();
    } finally {
      delete process.env.ROLLCALL_PGLITE_READ_PRIORITY;
    }
  });
});
