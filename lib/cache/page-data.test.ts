import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { forgetPageData, sharedCountedData, sharedPageData, SLOW_PAGE_DATA_MAX_AGE_MS } from "./page-data";

const viewer: Actor = { kind: "user", userId: 1, email: "viewer@example.test", name: "Viewer", role: "viewer" };
const helpdesk: Actor = { kind: "user", userId: 2, email: "helpdesk@example.test", name: "Helpdesk", role: "helpdesk" };
const ingestOnly: Actor = { kind: "token", tokenId: 3, name: "agent", scopes: ["ingest"], ownerId: null };

let keys = 0;
/** A fresh key per test, and a loader that counts its reads and answers with the read's number. */
function page() {
  const key = `test-page-${++keys}`;
  let reads = 0;
  const load = async () => {
    const read = ++reads;
    await new Promise((r) => setTimeout(r, 10));
    return { read };
  };
  return { key, load, reads: () => reads };
}

describe("page data shared between viewers", () => {
  it("answers viewers who ask at the same time, or within the second, from one read", async () => {
    const p = page();
    const [a, b] = await Promise.all([
      sharedPageData(viewer, "dashboard.read", p.key, p.load),
      sharedPageData(helpdesk, "dashboard.read", p.key, p.load),
    ]);
    const c = await sharedPageData(viewer, "dashboard.read", p.key, p.load);
    expect(p.reads()).toBe(1);
    expect([a, b, c]).toEqual([{ read: 1 }, { read: 1 }, { read: 1 }]);
  });

  it("reads again once the shared read is older than its maximum age", async () => {
    const p = page();
    expect(await sharedPageData(viewer, "dashboard.read", p.key, p.load, 30)).toEqual({ read: 1 });
    await new Promise((r) => setTimeout(r, 40));
    expect(await sharedPageData(viewer, "dashboard.read", p.key, p.load, 30)).toEqual({ read: 2 });
  });

  it("asks every viewer's permission, even when the read is shared, and reads nothing for a refused one", async () => {
    const p = page();
    await sharedPageData(viewer, "dashboard.read", p.key, p.load);
    await expect(sharedPageData(ingestOnly, "dashboard.read", p.key, p.load)).rejects.toMatchObject({ status: 403 });
    await expect(sharedPageData(null, "dashboard.read", p.key, p.load)).rejects.toMatchObject({ status: 401 });
    const q = page();
    await expect(sharedPageData(ingestOnly, "rollout.read", q.key, q.load)).rejects.toMatchObject({ status: 403 });
    expect(q.reads()).toBe(0);
  });

  it("does not share a failed read", async () => {
    const key = `test-page-${++keys}`;
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 1) throw new Error("database went away");
      return "ok";
    };
    await expect(sharedPageData(viewer, "dashboard.read", key, flaky)).rejects.toThrow("database went away");
    expect(await sharedPageData(viewer, "dashboard.read", key, flaky)).toBe("ok");
    expect(calls).toBe(2);
  });

  it("reads afresh after a write forgot the shared reads, even one still running", async () => {
    const p = page();
    const before = sharedPageData(viewer, "dashboard.read", p.key, p.load);
    forgetPageData();
    const after = await sharedPageData(viewer, "dashboard.read", p.key, p.load);
    expect(await before).toEqual({ read: 1 });
    expect(after).toEqual({ read: 2 });
    expect(await sharedPageData(viewer, "dashboard.read", p.key, p.load)).toEqual({ read: 2 });
  });
});

describe("slow shared reads", () => {
  it("answer when they were counted, share one read for 30 s, and read afresh after a write", async () => {
    expect(SLOW_PAGE_DATA_MAX_AGE_MS).toBe(30_000);
    let loads = 0;
    const load = async () => ++loads;
    const first = await sharedCountedData(viewer, "rollout.read", "slow-test", load);
    const second = await sharedCountedData(viewer, "rollout.read", "slow-test", load);
    expect(second).toBe(first);
    expect(first.value).toBe(1);
    expect(Date.parse(first.countedAt)).toBeLessThanOrEqual(Date.now());
    forgetPageData();
    expect((await sharedCountedData(viewer, "rollout.read", "slow-test", load)).value).toBe(2);
  });
});

describe("slow shared reads past their age", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const stale = { staleWhileRecounting: true };

  it("answer the last count at once while one recount runs, then the recount", async () => {
    const key = `test-page-${++keys}`;
    let reads = 0;
    let release = () => {};
    // The recount (read 2) does not answer until the test lets it.
    const load = async () => {
      const read = ++reads;
      if (read === 2) await new Promise<void>((r) => (release = r));
      return { read };
    };
    expect(await sharedPageData(viewer, "rollout.read", key, load, 50, stale)).toEqual({ read: 1 });
    await sleep(60);
    const [a, b] = await Promise.all([sharedPageData(viewer, "rollout.read", key, load, 50, stale), sharedPageData(helpdesk, "rollout.read", key, load, 50, stale)]);
    expect([a, b]).toEqual([{ read: 1 }, { read: 1 }]);
    expect(reads).toBe(2);
    release();
    await sleep(5);
    expect(await sharedPageData(viewer, "rollout.read", key, load, 50, stale)).toEqual({ read: 2 });
    expect(reads).toBe(2);
  });

  it("never answer a count from before a write: the next viewer waits for a fresh one", async () => {
    const { key, load } = page();
    await sharedPageData(viewer, "rollout.read", key, load, 100, stale);
    await sleep(120);
    forgetPageData();
    expect(await sharedPageData(viewer, "rollout.read", key, load, 100, stale)).toEqual({ read: 2 });
  });

  it("keep the last count when a recount fails, and recount again on the next view", async () => {
    let reads = 0;
    const key = `test-page-${++keys}`;
    const load = async () => {
      const read = ++reads;
      if (read === 2) throw new Error("connection lost");
      return { read };
    };
    await sharedPageData(viewer, "rollout.read", key, load, 100, stale);
    await sleep(120);
    expect(await sharedPageData(viewer, "rollout.read", key, load, 100, stale)).toEqual({ read: 1 });
    await sleep(5);
    expect(await sharedPageData(viewer, "rollout.read", key, load, 100, stale)).toEqual({ read: 1 });
    await sleep(5);
    expect(await sharedPageData(viewer, "rollout.read", key, load, 100, stale)).toEqual({ read: 3 });
  });

  it("still refuse a viewer the action does not allow", async () => {
    const { key, load } = page();
    await sharedPageData(viewer, "rollout.read", key, load, 100, stale);
    await sleep(120);
    await expect(sharedPageData(ingestOnly, "rollout.read", key, load, 100, stale)).rejects.toThrow();
  });
});
