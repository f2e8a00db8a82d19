import { describe, expect, it } from "vitest";
import { readReplicaConfig } from "./replica-config";

const PRIMARY = { DATABASE_URL: "postgres://db/rollcall" };

describe("readReplicaConfig", () => {
  it("is off without DATABASE_REPLICA_URL", () => {
    expect(readReplicaConfig({})).toBeNull();
    expect(readReplicaConfig(PRIMARY)).toBeNull();
  });

  it("reads the replica's URL and the maximum lag (30 s by default)", () => {
    expect(readReplicaConfig({ ...PRIMARY, DATABASE_REPLICA_URL: "postgres://replica/rollcall" })).toEqual({ url: "postgres://replica/rollcall", maxLagSeconds: 30 });
    expect(readReplicaConfig({ ...PRIMARY, DATABASE_REPLICA_URL: "postgres://replica/rollcall", REPLICA_MAX_LAG_SECONDS: "2.5" })?.maxLagSeconds).toBe(2.5);
  });

  it.each([
    [{ DATABASE_REPLICA_URL: "postgres://replica/rollcall" }, /^DATABASE_REPLICA_URL: needs DATABASE_URL/],
    [{ ...PRIMARY, DATABASE_REPLICA_URL: "replica" }, /^DATABASE_REPLICA_URL: is not a URL/],
    [{ ...PRIMARY, DATABASE_REPLICA_URL: "mysql://replica/rollcall" }, /^DATABASE_REPLICA_URL: must start with postgres:\/\//],
    [{ ...PRIMARY, DATABASE_REPLICA_URL: "postgres://replica" }, /^DATABASE_REPLICA_URL: names no database/],
    [{ ...PRIMARY, REPLICA_MAX_LAG_SECONDS: "0" }, /^REPLICA_MAX_LAG_SECONDS: must be a number of seconds/],
    [{ ...PRIMARY, REPLICA_MAX_LAG_SECONDS: "soon" }, /^REPLICA_MAX_LAG_SECONDS: must be a number of seconds/],
  ])("refuses %o with a message naming the variable", (env, message) => {
    expect(() => readReplicaConfig(env)).toThrow(message);
  });
});
