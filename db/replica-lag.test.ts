import { describe, expect, it } from "vitest";
import { formatLsn, judgeReplica, keepSamples, parseLsn } from "./replica-lag";

const NOW = Date.UTC(2026, 0, 1, 12, 3, 10);

describe("WAL positions", () => {
  it("parses and writes PostgreSQL's X/Y notation, comparing across the high word", () => {
    expect(parseLsn("0/16B3748")).toBe(0x16b3748n);
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) | 0xb374d848n);
    expect(parseLsn("1/0") > parseLsn("0/FFFFFFFF")).toBe(true);
    expect(formatLsn(parseLsn("16/B374D848"))).toBe("16/B374D848");
    expect(() => parseLsn("16-B374")).toThrow(/not a WAL position/);
  });
});

describe("judgeReplica", () => {
  const samples = [
    { at: NOW - 5_000, lsn: 100n },
    { at: NOW - 3_000, lsn: 200n },
    { at: NOW - 1_000, lsn: 300n },
  ];

  it("dates the replica's numbers by the latest primary position it has replayed past", () => {
    const state = judgeReplica({ standby: true, replayLsn: 250n, replayedAt: NOW - 60_000 }, samples, NOW, 30);
    expect(state).toMatchObject({ status: "ok", lagSeconds: 3, asOf: new Date(NOW - 3_000) });
  });

  it("is not behind when the primary is quiet, however old its last replayed commit", () => {
    const quiet = [{ at: NOW - 200, lsn: 500n }];
    expect(judgeReplica({ standby: true, replayLsn: 500n, replayedAt: NOW - 3_600_000 }, quiet, NOW, 30)).toMatchObject({ status: "ok", lagSeconds: 0.2 });
  });

  it("uses the last replayed commit when it is later than every sample it has passed", () => {
    expect(judgeReplica({ standby: true, replayLsn: 150n, replayedAt: NOW - 2_000 }, samples, NOW, 30)).toMatchObject({ status: "ok", lagSeconds: 2 });
  });

  it("is behind past the maximum lag, and when nothing dates it", () => {
    expect(judgeReplica({ standby: true, replayLsn: 150n, replayedAt: NOW - 40_000 }, samples, NOW, 4)).toMatchObject({ status: "behind", lagSeconds: 5 });
    expect(judgeReplica({ standby: true, replayLsn: 50n, replayedAt: null }, samples, NOW, 30)).toMatchObject({ status: "behind", lagSeconds: Infinity });
  });

  it("refuses a server that is not in recovery, and one that has replayed nothing", () => {
    expect(judgeReplica({ standby: false, replayLsn: null, replayedAt: null }, samples, NOW, 30).status).toBe("not_a_standby");
    expect(judgeReplica({ standby: true, replayLsn: null, replayedAt: null }, samples, NOW, 30).status).toBe("unreachable");
  });

  it("keeps only the samples a replica within twice the maximum lag could still need", () => {
    const old = [{ at: NOW - 100_000, lsn: 1n }, ...samples];
    expect(keepSamples(old, NOW, 30)).toEqual(samples);
  });
});
