// The replayed traffic, generated from a seeded RNG so a failing run can be repeated: status events
// for (device, update) pairs in batches, with ~10 % of the sends repeating an event already sent
// (same eventId and content, sometimes in the same batch) and ~5 % arriving late (older occurredAt
// than an event of the same deployment sent before them). About a third name their build (by name
// or version, in any case); the rest are about the build their wave targets.
import { createRng } from "@/db/seed/rng";
import type { DeploymentState } from "@/lib/deployments/states";
import type { OracleEvent } from "./oracle";

export type Target = { deviceId: number; hostname: string; updateId: number; slug: string; builds: ReadonlyArray<{ id: number; name: string; version: string }> };

/** One event as the distribution tool sends it, and what the oracle needs to know about it. */
export type ReplayEvent = {
  wire: { device: string; update: string; state: DeploymentState; occurredAt: string; eventId: string; errorCode?: string; build?: string };
  model: OracleEvent;
};

export type Batch = { index: number; idempotencyKey: string; events: ReplayEvent[] };

export type Traffic = {
  batches: Batch[];
  /** Every distinct event, in the order it was first sent. */
  unique: ReplayEvent[];
  sends: number;
  duplicates: number;
  reordered: number;
};

const STATES: ReadonlyArray<readonly [DeploymentState, number]> = [
  ["downloading", 3],
  ["installing", 3],
  ["reboot_required", 1],
  ["installed", 4],
  ["failed", 1.5],
  ["rolled_back", 0.5],
  ["deferred", 0.5],
];
const ERROR_CODES = ["0x80070005", "0x8007000E", "0x80240022", "0x80070070", "0x80072EE2"];

export type TrafficOptions = {
  seed: number;
  sends: number;
  batchSize: number;
  targets: readonly Target[];
  /** Prefix of event ids and idempotency keys, unique per run. */
  tag: string;
  /** Events happen in the 36 hours before this. */
  now: number;
  duplicateShare?: number;
  reorderShare?: number;
};

export function generateTraffic(options: TrafficOptions): Traffic {
  const { seed, sends, batchSize, targets, tag, now } = options;
  const duplicateShare = options.duplicateShare ?? 0.1;
  const reorderShare = options.reorderShare ?? 0.05;
  const rng = createRng(seed);
  // Few enough deployments that each gets several events (so late ones have something to be late behind).
  const pairs = rng.sample(targets, Math.max(50, Math.min(targets.length, Math.round(sends / 8))));
  const clocks = new Map<Target, number>();
  const unique: ReplayEvent[] = [];
  const stream: ReplayEvent[] = [];
  let duplicates = 0;
  let reordered = 0;
  const start = now - 36 * 3_600_000;

  while (stream.length < sends) {
    if (unique.length > 10 && rng.chance(duplicateShare)) {
      // The same event again, from the recent past (a tool resending what it is unsure was received).
      stream.push(unique[rng.int(Math.max(0, unique.length - 5_000), unique.length - 1)]);
      duplicates++;
      continue;
    }
    const target = rng.pick(pairs);
    const last = clocks.get(target);
    let occurredAtMs: number;
    // Late events at random, kept at their share of all sends (a deployment's first event cannot be late).
    if (last !== undefined && rng.chance(2 * reorderShare) && reordered < reorderShare * (stream.length + 1)) {
      occurredAtMs = last - rng.int(1, 3_600) * 1_000; // late: older than what this deployment already reported
      reordered++;
    } else {
      // Now and then the same second as the previous event: the tie goes to the event key.
      occurredAtMs = last === undefined ? start + rng.int(0, 12 * 3_600) * 1_000 : last + (rng.chance(0.03) ? 0 : rng.int(1, 900) * 1_000);
      clocks.set(target, occurredAtMs);
    }
    const state = rng.weighted(STATES);
    const errorCode = state === "failed" || state === "rolled_back" ? rng.pick(ERROR_CODES) : null;
    const eventId = `${tag}-${unique.length.toString(36).padStart(5, "0")}`;
    const build = target.builds.length && rng.chance(0.35) ? rng.pick(target.builds) : null;
    const buildName = build ? (rng.chance(0.5) ? build.version : rng.chance(0.5) ? build.name.toLowerCase() : build.name) : null;
    const event: ReplayEvent = {
      wire: {
        // Hostnames match in any case.
        device: rng.chance(0.1) ? target.hostname.toLowerCase() : target.hostname,
        update: target.slug,
        state,
        occurredAt: new Date(Math.min(occurredAtMs, now)).toISOString(),
        eventId,
        ...(errorCode ? { errorCode } : {}),
        ...(buildName ? { build: buildName } : {}),
      },
      model: {
        deviceId: target.deviceId,
        updateId: target.updateId,
        state,
        occurredAtMs: Math.min(occurredAtMs, now),
        eventId,
        errorCode,
        ...(build ? { buildId: build.id } : {}),
      },
    };
    unique.push(event);
    stream.push(event);
  }

  const batches: Batch[] = [];
  for (let i = 0; i < stream.length; i += batchSize) {
    batches.push({ index: batches.length, idempotencyKey: `${tag}-batch-${batches.length}`, events: stream.slice(i, i + batchSize) });
  }
  return { batches, unique, sends: stream.length, duplicates, reordered };
}

export function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)} %`;
}
