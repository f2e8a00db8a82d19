// How far behind the read replica is, from what the primary has written and what the replica has replayed.
//
// pg_last_xact_replay_timestamp() alone overstates the lag of a replica whose primary is quiet (the last
// replayed commit may be an hour old while nothing newer exists), so each probe also notes the primary's
// WAL position and when it was read. The replica holds everything committed before a noted moment once it
// has replayed past the position noted then; its numbers are "as of" the latest such moment, or of its
// last replayed commit when that is later.

/** A WAL position ("16/B374D848") as a number that compares. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!match) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** The primary's WAL position at a moment (read before asking the replica). */
export type PrimarySample = { at: number; lsn: bigint };

export type ReplicaProbe = {
  /** pg_is_in_recovery(): false for a promoted standby or a primary, which never receive our writes. */
  standby: boolean;
  replayLsn: bigint | null;
  /** Commit time of the last replayed transaction (ms since epoch), null before the first. */
  replayedAt: number | null;
};

export type ReplicaState =
  | { status: "ok" | "behind"; asOf: Date; lagSeconds: number; replayLsn: bigint; checkedAt: Date }
  | { status: "unreachable" | "not_a_standby"; reason: string; checkedAt: Date };

/** Keeps the samples a later probe may still need (a replica further behind than this is "behind" anyway). */
export function keepSamples(samples: PrimarySample[], now: number, maxLagSeconds: number): PrimarySample[] {
  const horizon = now - (maxLagSeconds * 2 + 10) * 1000;
  return samples.filter((s) => s.at >= horizon).slice(-500);
}

/** The replica's state from one probe and the primary's recent positions (the newest last). */
export function judgeReplica(probe: ReplicaProbe, samples: readonly PrimarySample[], now: number, maxLagSeconds: number): ReplicaState {
  const checkedAt = new Date(now);
  if (!probe.standby) return { status: "not_a_standby", reason: "the replica is not in recovery (promoted, or not a standby): it does not follow the primary", checkedAt };
  if (probe.replayLsn === null) return { status: "unreachable", reason: "the replica has replayed nothing yet", checkedAt };
  let asOf = probe.replayedAt ?? -Infinity;
  for (const sample of samples) if (sample.lsn <= probe.replayLsn && sample.at > asOf) asOf = sample.at;
  if (asOf === -Infinity) return { status: "behind", asOf: new Date(0), lagSeconds: Infinity, replayLsn: probe.replayLsn, checkedAt };
  const lagSeconds = Math.max(0, (now - asOf) / 1000);
  return { status: lagSeconds <= maxLagSeconds ? "ok" : "behind", asOf: new Date(Math.min(asOf, now)), lagSeconds, replayLsn: probe.replayLsn, checkedAt };
}
