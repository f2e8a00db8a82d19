// The readiness matrix and readiness per wave (issue #17) on both databases: cells are history-kept and
// audited, bad cells are refused with nothing saved, the per-wave counts equal a recount written here
// from the raw rows for random cells, "seen working on N pilot machines" counts what it says, and the
// readiness rule refuses a wave's start unless a written reason overrides it (audited).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { HttpError } from "@/lib/http/problem";
import { performWaveAction } from "@/lib/rollouts/lifecycle";
import { saveRolloutPlan } from "@/lib/rollouts/plan";
import { versionInRange } from "@/lib/rollouts/version-range";
import { addDevices, addKnownIssue, makeCatalog, makeUser, type FixtureDevice } from "@/test/support/fixtures/catalog";
import { setReadinessCell } from "./cells";
import { getReadinessMatrix } from "./matrix";
import { READINESS_RANK, READINESS_STATUSES, statusOfRank, type ReadinessStatus } from "./model";
import { listReadinessMachines, readinessForRollout } from "./waves";

const CRM = "CRM Sales for Outlook";
const FIREWALL = "Sygate Personal Firewall";
const OFFICE = "Office XP";
const ZIP = "WinZip";

/** A small deterministic generator (the tests' own, so a failure replays). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function expectRefused(work: Promise<unknown>, status: number, path?: string): Promise<HttpError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  const http = error as HttpError;
  expect(http.status).toBe(status);
  if (path) expect(JSON.stringify(http.extra.errors)).toContain(`"path":"${path}"`);
  return http;
}

describe.each(testDbKinds)("readiness on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let rolloutId: number;
  let waveIds: number[];
  const random = rng(17);
  const versions: Record<string, string[]> = { [CRM]: ["1.2", "1.2.5", "1.3"], [FIREWALL]: ["5.5", "5.6.2808"], [OFFICE]: ["10.0.6626.0"], [ZIP]: ["9.0", "8.1"] };

  // Pilot machines (tag pilot, first wave), HQ and Leeds machines, with random apps; two not-applicable Windows 2000 machines.
  const fleet: FixtureDevice[] = [
    ...Array.from({ length: 6 }, (_, i) => ({ hostname: `PILOT-${i}`, tags: ["pilot"], department: "IT" })),
    ...Array.from({ length: 14 }, (_, i) => ({ hostname: `HQ-${i}` })),
    ...Array.from({ length: 10 }, (_, i) => ({ hostname: `LDS-${i}`, site: "Leeds" })),
    { hostname: "W2K-1", osName: "Windows 2000", apps: [{ name: CRM, version: "1.2" }] },
  ].map((d: FixtureDevice) => ({
    ...d,
    apps:
      d.apps ??
      Object.keys(versions)
        .filter(() => random() < 0.55)
        .map((name) => ({ name, version: versions[name][Math.floor(random() * versions[name].length)] })),
  }));
  // The fixed pilot story: PILOT-0 and PILOT-1 carry CRM 1.2 and installed RC1; PILOT-1 called the helpdesk.
  fleet[0].apps = [{ name: CRM, version: "1.2" }];
  fleet[1].apps = [{ name: CRM, version: "1.2.5" }];

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, fleet);
    await addKnownIssue(handle.db, catalog.update.id, { advisoryId: "RC-0001", title: "CRM add-in does not load" });
    await addKnownIssue(handle.db, catalog.update.id, { advisoryId: "RC-0002", title: "Firewall breaks networking" });
    ({ rolloutId } = await saveRolloutPlan(editor, {
      buildId: catalog.builds[1].id,
      name: "SP2",
      waves: [
        { name: "Pilot", targeting: { tags: ["pilot"] } },
        { name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] } },
        { name: "Leeds", targeting: { siteIds: [catalog.site("Leeds").id] } },
      ],
    }));
    waveIds = (await queryRows<{ id: number }>(handle.db, sql`select id from waves where rollout_id = ${rolloutId} order by position`)).map((w) => Number(w.id));
    // The pilot installed RC1 (the deployment names its build); the HQ wave stays on the final build.
    await handle.db.execute(sql`update waves set build_id = ${catalog.builds[0].id} where id = ${waveIds[0]}`);
    await handle.db.execute(sql`update deployments set state = 'installed', build_id = ${catalog.builds[0].id} where wave_id = ${waveIds[0]}`);
    await handle.db.execute(sql`update deployments set state = 'not_applicable' where device_id = (select id from devices where hostname = 'W2K-1')`);
    await handle.db.execute(sql`insert into helpdesk_reports (known_issue_id, device_id, ticket_ref)
      select k.id, d.id, 'HD-1' from known_issues k, devices d where k.advisory_id = 'RC-0001' and d.hostname = 'PILOT-1'`);
  }, 120_000);
  afterAll(() => handle?.close());

  const cell = (input: Record<string, unknown>) => setReadinessCell(editor, { update: catalog.update.slug, note: "", ...input } as never);

  it("lists the apps of in-scope machines by machines, versions grouped by release line, × every build", async () => {
    const matrix = await getReadinessMatrix(viewer, catalog.update.slug);
    expect(matrix.builds.map((b) => b.name)).toEqual(["RC1", "Final"]);
    const inScope = fleet.filter((d) => d.osName !== "Windows 2000");
    const expected = new Map<string, number>();
    for (const d of inScope) for (const a of d.apps ?? []) {
      const key = `${a.name} ${a.version.split(".").slice(0, 2).join(".")}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(matrix.rows.map((r) => [`${r.app} ${r.versionRange}`, r.machines]))).toEqual(expected);
    const counts = matrix.rows.map((r) => r.machines);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(matrix.rows.every((r) => r.cells.every((c) => c.status === "untested" && c.setBy === null))).toBe(true);
  });

  it("counts pilot machines that installed the build with the app and no helpdesk report beside untested", async () => {
    const matrix = await getReadinessMatrix(viewer, catalog.update.slug, { pageSize: 100 });
    const crm12 = matrix.rows.find((r) => r.app === CRM && r.versionRange === "1.2")!;
    const pilotWithCrm12 = fleet.filter((d) => d.tags?.includes("pilot") && d.hostname !== "PILOT-1" && d.apps?.some((a) => a.name === CRM && versionInRange(a.version, "1.2")));
    expect(crm12.cells.find((c) => c.build === "RC1")!.seenWorkingOnPilotMachines).toBe(pilotWithCrm12.length);
    expect(crm12.cells.find((c) => c.build === "Final")!.seenWorkingOnPilotMachines).toBe(0);
    // An installed report that names the final build counts for it too.
    await handle.db.execute(sql`insert into status_events (device_id, update_id, state, build_id, occurred_at, source)
      select id, ${catalog.update.id}, 'installed', ${catalog.builds[1].id}, now(), 'test' from devices where hostname = 'PILOT-0'`);
    const after = await getReadinessMatrix(viewer, catalog.update.slug, { pageSize: 100 });
    expect(after.rows.find((r) => r.app === CRM && r.versionRange === "1.2")!.cells.find((c) => c.build === "Final")!.seenWorkingOnPilotMachines).toBe(1);
  });

  it("refuses a bad cell with a message per field and saves nothing", async () => {
    const before = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from readiness_entries`);
    await expectRefused(cell({ app: "No Such App", versionRange: "", build: "RC1", status: "works" }), 422, "app");
    await expectRefused(cell({ app: CRM, versionRange: "", build: "RC9", status: "works" }), 422, "build");
    await expectRefused(cell({ app: CRM, versionRange: "1.2", build: "Final", status: "broken" }), 422, "knownIssue");
    await expectRefused(cell({ app: CRM, versionRange: "1.2", build: "Final", status: "broken", knownIssue: "RC-9999" }), 422, "knownIssue");
    await expectRefused(cell({ app: CRM, versionRange: "one point two", build: "Final", status: "works" }), 422, "versionRange");
    await expectRefused(cell({ app: CRM, versionRange: "", build: "Final", status: "fine" }), 422, "status");
    await expectRefused(setReadinessCell(viewer, { update: catalog.update.slug, app: CRM, versionRange: "", build: "RC1", status: "works", note: "" }), 403);
    const after = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from readiness_entries`);
    expect(after[0].n).toBe(before[0].n);
  });

  it("keeps every change of a cell, shows the newest with who and when, and audits each", async () => {
    const first = await cell({ app: CRM.toUpperCase(), versionRange: "1.2", build: "final", status: "works_with_workaround", note: "Use the web client" });
    expect(first.warnings.length).toBe(1);
    expect(first.app).toBe(CRM);
    const second = await cell({ app: CRM, versionRange: "1.2", build: catalog.builds[1].version, status: "broken", note: "Toolbar gone", knownIssue: "rc-0001" });
    expect(second.warnings).toEqual([]);
    expect(second.previous?.status).toBe("works_with_workaround");
    const matrix = await getReadinessMatrix(viewer, catalog.update.slug, { pageSize: 100 });
    const final = matrix.rows.find((r) => r.app === CRM && r.versionRange === "1.2")!.cells.find((c) => c.build === "Final")!;
    expect(final).toMatchObject({ status: "broken", note: "Toolbar gone", knownIssue: "RC-0001", setBy: editor.email });
    expect(final.history.map((h) => h.status)).toEqual(["works_with_workaround"]);
    const audit = await queryRows<{ action: string; before: { status: string } | null; after: { status: string } }>(
      handle.db,
      sql`select action, before, after from audit_entries where action = 'readiness.set' order by id`,
    );
    expect(audit.map((a) => [a.before?.status ?? null, a.after.status])).toEqual([
      [null, "works_with_workaround"],
      ["works_with_workaround", "broken"],
    ]);
  });

  /** The per-wave counts recounted from the raw rows: newest entry per cell, worst matching cell per app, worst app per machine. */
  async function recount() {
    const entries = await queryRows<{ app_id: number; version_range: string; build_id: number; status: ReadinessStatus }>(
      handle.db,
      sql`select app_id, version_range, build_id, status from readiness_entries order by set_at, id`,
    );
    const newest = new Map<string, (typeof entries)[number]>();
    for (const e of entries) newest.set(`${e.app_id}|${e.version_range}|${e.build_id}`, e);
    const machines = await queryRows<{ wave_id: number; device_id: number; build_id: number }>(
      handle.db,
      sql`select d.wave_id, d.device_id, coalesce(w.build_id, r.build_id) as build_id from deployments d join waves w on w.id = d.wave_id
          join rollouts r on r.id = w.rollout_id where r.id = ${rolloutId} and d.state <> 'not_applicable'`,
    );
    const deviceApps = await queryRows<{ device_id: number; app_id: number; version: string }>(handle.db, sql`select device_id, app_id, version from device_apps`);
    const out = new Map<number, Record<string, number>>();
    for (const m of machines) {
      const statuses = deviceApps
        .filter((a) => a.device_id === m.device_id)
        .map((a) => {
          const ranks = [...newest.values()].filter((e) => e.app_id === a.app_id && e.build_id === m.build_id && versionInRange(a.version, e.version_range)).map((e) => READINESS_RANK[e.status]);
          return ranks.length ? statusOfRank(Math.max(...ranks)) : "untested";
        });
      const counts = out.get(m.wave_id) ?? { machines: 0, broken: 0, untested: 0, worksWithWorkaround: 0, works: 0, noApps: 0, withUntestedApps: 0 };
      counts.machines++;
      const worst = statuses.length ? statusOfRank(Math.max(...statuses.map((s) => READINESS_RANK[s]))) : null;
      if (worst === null) counts.noApps++;
      else counts[worst === "works_with_workaround" ? "worksWithWorkaround" : worst]++;
      if (statuses.includes("untested")) counts.withUntestedApps++;
      out.set(m.wave_id, counts);
    }
    return out;
  }

  it("counts each wave's machines by their worst cell on the wave's build, equal to a recount, for random cells", async () => {
    const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const ranges: Record<string, string[]> = { [CRM]: ["", "1.2", "1.3", ">=1.0 <1.3"], [FIREWALL]: ["", "5.5", "5.6"], [OFFICE]: ["", "10.0"], [ZIP]: ["9.0", "8"] };
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 6; i++) {
        const app = pick(Object.keys(ranges));
        const status = pick(READINESS_STATUSES);
        await cell({ app, versionRange: pick(ranges[app]), build: pick(["RC1", "Final"]), status, knownIssue: status === "broken" ? "RC-0001" : undefined });
      }
      const expected = await recount();
      const counted = await readinessForRollout(viewer, rolloutId);
      for (const waveId of waveIds) {
        const { machines, broken, untested, worksWithWorkaround, works, noApps, withUntestedApps } = counted.get(waveId)!;
        expect({ machines, broken, untested, worksWithWorkaround, works, noApps, withUntestedApps }, `wave ${waveId}, round ${round}`).toEqual(
          expected.get(waveId) ?? { machines: 0, broken: 0, untested: 0, worksWithWorkaround: 0, works: 0, noApps: 0, withUntestedApps: 0 },
        );
      }
      // The machines behind a count are as many as the count says.
      const hq = counted.get(waveIds[1])!;
      for (const status of ["broken", "untested", "works_with_workaround", "with_untested"] as const) {
        const list = await listReadinessMachines(viewer, rolloutId, { wave: waveIds[1], status });
        const expectedTotal = status === "broken" ? hq.broken : status === "untested" ? hq.untested : status === "works_with_workaround" ? hq.worksWithWorkaround : hq.withUntestedApps;
        expect(list.total, status).toBe(expectedTotal);
        expect(list.machines.length).toBe(expectedTotal);
      }
    }
  });

  it("refuses to start a wave with more machines carrying untested apps than its rule allows, unless a written reason overrides it", async () => {
    const [pilot, hq] = waveIds;
    await handle.db.execute(sql`update waves set status = 'completed', gate_passed_at = now() where id = ${pilot}`);
    const readiness = (await readinessForRollout(viewer, rolloutId, [hq])).get(hq)!;
    expect(readiness.withUntestedApps).toBeGreaterThan(0);
    const limit = Math.floor(((readiness.withUntestedApps - 1) * 100) / readiness.machines);
    await handle.db.execute(sql`update waves set readiness_max_untested_pct = ${limit} where id = ${hq}`);
    const refused = await expectRefused(performWaveAction(editor, { rolloutId, waveId: hq, action: "start" }), 422, "reason");
    expect(refused.message).toContain(`${readiness.withUntestedApps} of ${readiness.machines} machines`);
    expect((await queryRows<{ status: string }>(handle.db, sql`select status from waves where id = ${hq}`))[0].status).toBe("planned");

    // At the limit exactly, the rule lets it start; here the override reason is what starts it.
    const { wave } = await performWaveAction(editor, { rolloutId, waveId: hq, action: "start", reason: "Sales needs SP2 before the audit; untested apps are watched." });
    expect(wave.status).toBe("active");
    const [audit] = await queryRows<{ after: { override?: string } }>(handle.db, sql`select after from audit_entries where action = 'wave.start' and target_id = ${String(hq)} order by id desc limit 1`);
    expect(audit.after.override).toContain("Sales needs SP2");
  });

  it("refuses a readiness rule outside 0–100 % in the plan, saving nothing", async () => {
    for (const bad of [101, -1, 12.5]) {
      await expectRefused(
        saveRolloutPlan(editor, { buildId: catalog.builds[1].id, name: "Refused rule", waves: [{ name: "All", targeting: {}, readinessMaxUntestedPct: bad }] }),
        422,
        "waves.0.readinessMaxUntestedPct",
      );
    }
    expect(await queryRows(handle.db, sql`select 1 from rollouts where name = 'Refused rule'`)).toEqual([]);
  });

  it("lets a wave start when its share of machines with untested apps is within the rule", async () => {
    const leeds = waveIds[2];
    await handle.db.execute(sql`update waves set gate_passed_at = now() where id = ${waveIds[1]}`);
    const readiness = (await readinessForRollout(viewer, rolloutId, [leeds])).get(leeds)!;
    const atLimit = Math.ceil((readiness.withUntestedApps * 100) / Math.max(1, readiness.machines));
    await handle.db.execute(sql`update waves set readiness_max_untested_pct = ${Math.min(100, atLimit)} where id = ${leeds}`);
    const { wave } = await performWaveAction(editor, { rolloutId, waveId: leeds, action: "start" });
    expect(wave.status).toBe("active");
  });
});
