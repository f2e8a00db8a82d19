// The plan's rules and preview on their own, without a database: an editor's plan against a
// small inventory, as plan.ts would read it.
import { describe, expect, it } from "vitest";
import type { Wave } from "@/db/schema";
import type { InventoryDevice, SiteInfo } from "./materialise";
import { evaluatePlan, PlanInput, type PlanContext } from "./plan-preview";

const HQ: SiteInfo = { id: 1, name: "HQ", kind: "hq", linkKbps: null };
const LEEDS: SiteInfo = { id: 2, name: "Leeds", kind: "branch", linkKbps: 512 };
const YORK: SiteInfo = { id: 3, name: "York", kind: "branch", linkKbps: 100_000 };

const device = (id: number, hostname: string, site: SiteInfo, extra: Partial<InventoryDevice> = {}): InventoryDevice => ({
  id,
  hostname,
  osName: "Windows XP",
  siteId: site.id,
  departmentId: null,
  tags: [],
  channel: "network",
  ...extra,
});

const inventory: InventoryDevice[] = [
  ...Array.from({ length: 4 }, (_, i) => device(i + 1, `HQ-${i}`, HQ)),
  ...Array.from({ length: 8 }, (_, i) => device(i + 10, `LDS-${i}`, LEEDS)),
  ...Array.from({ length: 2 }, (_, i) => device(i + 20, `YRK-${i}`, YORK)),
  device(30, "HOME-0", HQ, { channel: "offline_media" }),
  device(40, "W2K-0", HQ, { osName: "Windows 2000" }),
];

function context(overrides: Partial<PlanContext> = {}): PlanContext {
  return {
    build: { id: 7, name: "Final" },
    update: { id: 3, slug: "xp-sp2", title: "Windows XP SP2", sizeBytes: 300_000_000, applicableOsNames: ["Windows XP"] },
    rollout: null,
    openRollout: null,
    existingWaves: [],
    waveBuilds: [],
    knownSiteIds: new Set([1, 2, 3]),
    knownDepartmentIds: new Set(),
    knownHostnames: new Set(inventory.map((d) => d.hostname.toLowerCase())),
    inventory,
    sites: new Map([HQ, LEEDS, YORK].map((s) => [s.id, s])),
    held: new Map([[2, 99]]),
    members: [],
    ...overrides,
  };
}

const plan = (waves: unknown[]) => PlanInput.parse({ buildId: 7, name: "SP2", waves });

describe("a rollout plan's preview, without the database", () => {
  it("counts devices, holds and channels per wave, and warns when a branch link would be busy more than a working day", () => {
    const { errors, preview } = evaluatePlan(
      plan([
        { name: "HQ", targeting: { siteIds: [1] } },
        { name: "Branches", targeting: { siteIds: [2, 3] } },
      ]),
      context(),
    );
    expect(errors).toEqual([]);
    expect(preview.waves.map((w) => [w.devices, w.held, w.network, w.offline])).toEqual([
      [5, 1, 4, 1],
      [10, 0, 10, 0],
    ]);
    expect(preview).toMatchObject({ total: 16, notApplicable: 1, notApplicableByOs: [{ osName: "Windows 2000", devices: 1 }], excluded: 0 });
    const [leeds, york] = preview.waves[1].sites;
    // 8 × 300 MB = 2.4 GB over 512 kbit/s ≈ 10.4 h; 600 MB over 100,000 kbit/s is 48 s.
    expect(leeds).toMatchObject({ name: "Leeds", downloadBytes: 2_400_000_000, saturates: true });
    expect(york).toMatchObject({ name: "York", downloadBytes: 600_000_000, transferSeconds: 48, saturates: false });
    expect(preview.waves[1].warnings).toEqual([
      "Leeds: 2.4 GB over a 512 kbit/s link takes 10.4 h, more than a working day. Split the wave or use the local distribution point.",
    ]);
  });

  it("a branch with a local distribution point downloads the update once over its WAN link, so no false warning", () => {
    const leedsWithPoint: SiteInfo = { ...LEEDS, distributionPoint: "LDS-DP01" };
    const { preview } = evaluatePlan(
      plan([{ name: "Branches", targeting: { siteIds: [2, 3] } }]),
      context({ sites: new Map([HQ, leedsWithPoint, YORK].map((s) => [s.id, s])) }),
    );
    const leeds = preview.waves[0].sites.find((s) => s.name === "Leeds")!;
    // Eight machines still get 2.4 GB between them, but only 300 MB crosses the 512 kbit/s link: 300e6 × 8 / 512,000 = 4,687.5 s.
    expect(leeds).toMatchObject({ downloadBytes: 2_400_000_000, wanBytes: 300_000_000, distributionPoint: "LDS-DP01", transferSeconds: 4687.5, saturates: false });
    expect(preview.waves[0].warnings).toEqual([]);
    // York has no distribution point: every machine downloads over its link.
    expect(preview.waves[0].sites.find((s) => s.name === "York")).toMatchObject({ wanBytes: 600_000_000, distributionPoint: null });
  });

  it("even the one copy can be too slow for a very thin link, and the warning says so", () => {
    const thin: SiteInfo = { ...LEEDS, linkKbps: 64, distributionPoint: "LDS-DP01" };
    const { preview } = evaluatePlan(plan([{ name: "Leeds", targeting: { siteIds: [2] } }]), context({ sites: new Map([HQ, thin, YORK].map((s) => [s.id, s])) }));
    // 300 MB over 64 kbit/s = 37,500 s ≈ 10.4 h.
    expect(preview.waves[0].warnings).toEqual(["Leeds: 300 MB over a 64 kbit/s link takes 10.4 h, more than a working day. Even one copy to the distribution point is too slow; ship it on media."]);
  });

  it("a ramped wave says how many days it takes to offer the update to every machine that is not held", () => {
    const { errors, preview } = evaluatePlan(
      plan([
        { name: "HQ", targeting: { siteIds: [1] }, maxDevicesPerDay: "2" },
        { name: "Leeds", targeting: { siteIds: [2] }, maxDevicesPerDay: 3 },
        { name: "York", targeting: { siteIds: [3] }, maxDevicesPerDay: "" },
      ]),
      context(),
    );
    expect(errors).toEqual([]);
    // HQ: 5 machines, 1 held → 4 at 2 a day = 2 days; Leeds: 8 at 3 a day = 3 days (ceil 2.67); no ramp: null.
    expect(preview.waves.map((w) => [w.maxDevicesPerDay, w.rampDays])).toEqual([
      [2, 2],
      [3, 3],
      [null, null],
    ]);
  });

  it("a ramp of 0 or a fraction is refused at its field", () => {
    const zero = PlanInput.safeParse({ buildId: 7, name: "SP2", waves: [{ name: "HQ", targeting: {}, maxDevicesPerDay: 0 }] });
    expect(zero.success).toBe(false);
    expect(zero.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["waves.0.maxDevicesPerDay", "A ramp offers at least 1 machine a day; leave it empty for no ramp."]]);
    const fraction = PlanInput.safeParse({ buildId: 7, name: "SP2", waves: [{ name: "HQ", targeting: {}, maxDevicesPerDay: "2.5" }] });
    expect(fraction.error!.issues[0].message).toBe("Whole machines only.");
  });

  it("names every problem at its field: unknown and repeated hostnames, an empty wave, a second open rollout", () => {
    const { errors } = evaluatePlan(
      plan([
        { name: "Pilot", targeting: { hostnames: ["HQ-0", "NO-SUCH-HOST"] } },
        { name: "Rest of HQ", targeting: { hostnames: ["hq-0", "HQ-1"] } },
        { name: "OS/2", targeting: { osNames: ["OS/2"] } },
      ]),
      context({ openRollout: { name: "SP2 pilot" } }),
    );
    expect(errors).toEqual([
      { path: "buildId", message: 'Windows XP SP2 already has an open rollout ("SP2 pilot"); add waves to that one instead.' },
      { path: "waves.0.targeting.hostnames", message: "Unknown hostnames: NO-SUCH-HOST." },
      { path: "waves.1.targeting.hostnames", message: 'Overlapping targeting: hq-0 (already in "Pilot"). A device belongs to one wave only.' },
      { path: "waves.2.targeting", message: "This wave gets no devices: no applicable device matches its targeting." },
    ]);
  });

  it("a started wave keeps its devices and its place; moving it is refused", () => {
    const started = {
      id: 50,
      rolloutId: 9,
      position: 0,
      name: "Pilot",
      status: "active",
      targeting: { hostnames: ["HQ-0"] },
    } as Partial<Wave> as Wave;
    const edit = {
      rollout: { updateId: 3, status: "active" },
      existingWaves: [started],
      members: [
        { deviceId: 1, waveId: 50 },
        { deviceId: 2, waveId: 50 },
      ],
    };
    const kept = evaluatePlan(plan([{ id: 50, name: "Pilot", targeting: { siteIds: [2] } }, { name: "Everyone else", targeting: {} }]), context(edit));
    expect(kept.errors).toEqual([]);
    expect(kept.preview.waves.map((w) => [w.started, w.devices])).toEqual([
      [true, 2],
      [false, 13],
    ]);
    const reordered = evaluatePlan(plan([{ name: "First", targeting: {} }, { id: 50, name: "Pilot", targeting: {} }]), context(edit));
    expect(reordered.errors).toContainEqual({ path: "waves.1.name", message: '"Pilot" has started; it keeps its place in the order.' });
  });
});
