import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WaveTargeting } from "@/db/schema";
import { summarise, type StateCounts } from "@/lib/deployments/states";
import { judgeGate } from "./gate-rule";
import { assignDevices, fnv1a, sampleSize, type TargetingDevice, type TargetingWave } from "./targeting";

const OS = ["Windows XP", "Windows 2000", "windows xp"];
const TAGS = ["pilot", "vip", "laptop"];

const deviceArb = fc.record({
  osName: fc.constantFrom(...OS),
  siteId: fc.integer({ min: 1, max: 4 }),
  departmentId: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  tags: fc.subarray(TAGS),
});

const fleetArb = fc.array(deviceArb, { maxLength: 120 }).map((list) =>
  list.map((d, i): TargetingDevice => ({ ...d, id: i + 1, hostname: `WS-${String(i).padStart(4, "0")}` })),
);

const targetingArb: fc.Arbitrary<WaveTargeting> = fc.record(
  {
    siteIds: fc.subarray([1, 2, 3, 4]),
    departmentIds: fc.subarray([1, 2, 3]),
    osNames: fc.subarray(["Windows XP", "Windows 2000"]),
    tags: fc.subarray(TAGS),
    hostnames: fc.array(fc.integer({ min: 0, max: 150 }).map((i) => `ws-${String(i).padStart(4, "0")}`), { maxLength: 5 }),
    samplePercent: fc.integer({ min: 1, max: 100 }),
  },
  { requiredKeys: [] },
);

const wavesArb = fc.array(targetingArb, { minLength: 1, maxLength: 5 }).map((list) =>
  list.map((targeting, i): TargetingWave => ({ targeting, sampleSeed: `7:${i}` })),
);

describe("wave targeting", () => {
  it("puts every applicable device in exactly one wave or excluded, and never gives a not-applicable device a wave", () => {
    fc.assert(
      fc.property(fleetArb, wavesArb, (fleet, waves) => {
        const result = assignDevices(fleet, waves, ["Windows XP"]);
        const seen = new Map<number, number>();
        result.perWave.forEach((ids) => ids.forEach((id) => seen.set(id, (seen.get(id) ?? 0) + 1)));
        for (const device of fleet) {
          const inWaves = seen.get(device.id) ?? 0;
          const applicable = device.osName.toLowerCase() === "windows xp";
          expect(inWaves).toBeLessThanOrEqual(1);
          if (!applicable) {
            expect(result.notApplicable.has(device.id)).toBe(true);
            expect(inWaves).toBe(0);
            expect(result.excluded.has(device.id)).toBe(false);
          } else {
            expect(result.notApplicable.has(device.id)).toBe(false);
            // exactly one of: in a wave, excluded
            expect(Number(inWaves === 1) + Number(result.excluded.has(device.id))).toBe(1);
            if (inWaves === 1) expect(result.perWave[result.waveOf.get(device.id)!]).toContain(device.id);
          }
        }
        expect(result.notApplicable.size + result.excluded.size + result.waveOf.size).toBe(fleet.length);
      }),
      { numRuns: 300 },
    );
  });

  it("a wave only takes devices matching all of its criteria, from what earlier waves left, and samples exactly", () => {
    fc.assert(
      fc.property(fleetArb, wavesArb, (fleet, waves) => {
        const result = assignDevices(fleet, waves, []);
        const taken = new Set<number>();
        waves.forEach((wave, i) => {
          const t = wave.targeting;
          const candidates = fleet.filter(
            (d) =>
              !taken.has(d.id) &&
              (!t.siteIds?.length || t.siteIds.includes(d.siteId)) &&
              (!t.departmentIds?.length || (d.departmentId !== null && t.departmentIds.includes(d.departmentId))) &&
              (!t.osNames?.length || t.osNames.some((o) => o.toLowerCase() === d.osName.toLowerCase())) &&
              (!t.tags?.length || d.tags.some((tag) => t.tags!.includes(tag))) &&
              (!t.hostnames?.length || t.hostnames.includes(d.hostname.toLowerCase())),
          );
          const ids = new Set(candidates.map((d) => d.id));
          expect(result.perWave[i].every((id) => ids.has(id))).toBe(true);
          expect(result.perWave[i].length).toBe(sampleSize(candidates.length, t.samplePercent));
          result.perWave[i].forEach((id) => taken.add(id));
        });
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic and keeps frozen (started) waves exactly as they were", () => {
    fc.assert(
      fc.property(fleetArb, wavesArb, (fleet, waves) => {
        const first = assignDevices(fleet, waves, ["Windows XP"]);
        const again = assignDevices([...fleet].reverse(), waves, ["Windows XP"]);
        waves.forEach((_, i) => expect([...again.perWave[i]].sort((a, b) => a - b)).toEqual([...first.perWave[i]].sort((a, b) => a - b)));
        const frozen = waves.map((w, i) => (i === 0 ? { ...w, frozenDeviceIds: first.perWave[0] } : w));
        const grown = [...fleet, { id: 9999, hostname: "NEW-1", osName: "Windows XP", siteId: 1, departmentId: 1, tags: [] }];
        const after = assignDevices(grown, frozen, ["Windows XP"]);
        expect([...after.perWave[0]].sort()).toEqual([...first.perWave[0]].sort());
      }),
      { numRuns: 150 },
    );
  });

  it("samples 25 % of 40 HQ devices as exactly 10, by a stable hash", () => {
    const fleet: TargetingDevice[] = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, hostname: `HQ-${i}`, osName: "Windows XP", siteId: 1, departmentId: null, tags: [] }));
    const result = assignDevices(fleet, [{ targeting: { siteIds: [1], samplePercent: 25 }, sampleSeed: "1:0" }, { targeting: {}, sampleSeed: "1:1" }], []);
    expect(result.perWave[0]).toHaveLength(10);
    expect(result.perWave[1]).toHaveLength(30);
    expect(fnv1a("abc")).toBe(0x1a47e90b);
  });
});

describe("not_applicable never counts as failure", () => {
  const countsArb = fc.record({
    pending: fc.nat(50),
    downloading: fc.nat(50),
    installed: fc.nat(200),
    failed: fc.nat(30),
    rolled_back: fc.nat(30),
  });
  it("adding not-applicable or excluded devices changes neither the gate verdict nor failure numbers", () => {
    fc.assert(
      fc.property(countsArb, fc.nat(500), fc.nat(500), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 50 }), (counts, na, excluded, minSuccessPct, maxFailurePct, minAttempted) => {
        const gate = { minSuccessPct, maxFailurePct, minAttempted };
        const withNa: StateCounts = { ...counts, not_applicable: na, excluded };
        expect(judgeGate(withNa, gate)).toEqual(judgeGate(counts, gate));
        const a = summarise(counts);
        const b = summarise(withNa);
        expect(b.failed + b.rolledBack).toBe(a.failed + a.rolledBack);
        expect(b.failurePct).toBe(a.failurePct);
        expect(b.inScope).toBe(a.inScope);
      }),
      { numRuns: 300 },
    );
  });
});
