// Wave targeting: which devices each wave of a rollout takes. Pure (no database) so the preview,
// the save, the re-evaluation after an inventory change and the property tests share one rule:
//
// 1. A device whose OS the update does not apply to is `not_applicable` and never gets a wave.
// 2. Waves that have started keep the devices they had (their membership is frozen).
// 3. The remaining waves are evaluated in order; each takes, from what earlier waves left, the
//    devices matching ALL of its non-empty criteria (within one criterion, ANY value matches).
//    An optional percentage sample then keeps round(n × p / 100) of them (at least 1), chosen by
//    a stable hash of the hostname, so the same inventory always gives the same sample.
// 4. Applicable devices no wave takes are `excluded`.
import type { WaveTargeting } from "@/db/schema";

export type TargetingDevice = {
  id: number;
  hostname: string;
  osName: string;
  siteId: number;
  departmentId: number | null;
  tags: readonly string[];
};

export type TargetingWave = {
  targeting: WaveTargeting;
  /** Seed of the percentage sample; stable per (update, wave position). */
  sampleSeed: string;
  /** Device ids of a wave that has started: it keeps exactly these (those still applicable). */
  frozenDeviceIds?: readonly number[] | null;
};

export type Assignment = {
  /** device id → index of its wave in the input array */
  waveOf: Map<number, number>;
  notApplicable: Set<number>;
  excluded: Set<number>;
  /** Devices per wave, in input order. */
  perWave: number[][];
};

/** 32-bit FNV-1a: small, fast and stable across processes and versions (unlike Math.random). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function isApplicable(osName: string, applicableOsNames: readonly string[]): boolean {
  if (applicableOsNames.length === 0) return true;
  const os = osName.trim().toLowerCase();
  return applicableOsNames.some((name) => name.trim().toLowerCase() === os);
}

const lowerSet = (values: readonly string[] | undefined) => new Set((values ?? []).map((v) => v.trim().toLowerCase()));

/** A predicate for the wave's criteria (ignoring the sample). */
export function matcher(targeting: WaveTargeting): (device: TargetingDevice) => boolean {
  const sites = new Set(targeting.siteIds ?? []);
  const departments = new Set(targeting.departmentIds ?? []);
  const osNames = lowerSet(targeting.osNames);
  const tags = lowerSet(targeting.tags);
  const hostnames = lowerSet(targeting.hostnames);
  return (device) =>
    (sites.size === 0 || sites.has(device.siteId)) &&
    (departments.size === 0 || (device.departmentId !== null && departments.has(device.departmentId))) &&
    (osNames.size === 0 || osNames.has(device.osName.trim().toLowerCase())) &&
    (tags.size === 0 || device.tags.some((tag) => tags.has(tag.trim().toLowerCase()))) &&
    (hostnames.size === 0 || hostnames.has(device.hostname.toLowerCase()));
}

/** How many of `available` devices a `percent` sample keeps. */
export function sampleSize(available: number, percent: number | undefined): number {
  if (percent === undefined || percent >= 100) return available;
  if (available === 0 || percent <= 0) return 0;
  return Math.min(available, Math.max(1, Math.round((available * percent) / 100)));
}

export function assignDevices(
  devices: readonly TargetingDevice[],
  waves: readonly TargetingWave[],
  applicableOsNames: readonly string[],
): Assignment {
  const waveOf = new Map<number, number>();
  const notApplicable = new Set<number>();
  const perWave: number[][] = waves.map(() => []);
  const applicable: TargetingDevice[] = [];
  for (const device of devices) {
    if (isApplicable(device.osName, applicableOsNames)) applicable.push(device);
    else notApplicable.add(device.id);
  }
  const applicableIds = new Set(applicable.map((d) => d.id));

  waves.forEach((wave, index) => {
    if (!wave.frozenDeviceIds) return;
    for (const id of wave.frozenDeviceIds) {
      if (applicableIds.has(id) && !waveOf.has(id)) {
        waveOf.set(id, index);
        perWave[index].push(id);
      }
    }
  });

  waves.forEach((wave, index) => {
    if (wave.frozenDeviceIds) return;
    const matches = matcher(wave.targeting);
    const candidates = applicable.filter((d) => !waveOf.has(d.id) && matches(d));
    const keep = sampleSize(candidates.length, wave.targeting.samplePercent);
    const chosen =
      keep === candidates.length
        ? candidates
        : candidates
            .map((d) => ({ d, rank: fnv1a(`${wave.sampleSeed}|${d.hostname.toLowerCase()}`) }))
            .sort((a, b) => a.rank - b.rank || a.d.id - b.d.id)
            .slice(0, keep)
            .map((x) => x.d);
    for (const device of chosen) {
      waveOf.set(device.id, index);
      perWave[index].push(device.id);
    }
  });

  const excluded = new Set<number>();
  for (const device of applicable) if (!waveOf.has(device.id)) excluded.add(device.id);
  return { waveOf, notApplicable, excluded, perWave };
}

/** True when the targeting has no criterion at all: the wave takes everything that is left. */
export function isUnrestricted(targeting: WaveTargeting): boolean {
  return (
    !targeting.siteIds?.length &&
    !targeting.departmentIds?.length &&
    !targeting.osNames?.length &&
    !targeting.tags?.length &&
    !targeting.hostnames?.length &&
    (targeting.samplePercent === undefined || targeting.samplePercent >= 100)
  );
}
