// The chart numbers equal a GROUP BY over the deployments (the summary tables must agree with
// them), on the demo seed: per-wave stacks, by site and OS, the adoption curve, rates against the
// gate, top error codes and alerts with their remedies, offline-media counts as ingest moves them;
// and the reads check who asks.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { rollouts } from "@/db/schema";
import { seedDemo, SP2_SLUG } from "@/lib/seed/demo";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { verifySummaries } from "@/lib/deployments/summaries";
import { mediaStatusForRollout } from "@/lib/rollouts/media";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { ALERT_REMEDIES, type DeploymentState, type StateCounts } from "@/lib/deployments/states";
import { HttpError } from "@/lib/http/problem";
import { makeUser } from "@/test/support/fixtures/catalog";
import type { Actor } from "@/lib/auth/actor";
import { getRolloutDashboard, getUpdateDashboard } from "./queries";
import { breakdownRows, groupCounts, withBehind } from "./series";

const system = { kind: "system", label: "test" } as const;

describe.each(testDbKinds)("dashboard queries on %s", (kind) => {
  let handle: DbHandle;
  let rolloutId: number;
  let viewer: Actor;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    await seedDemo(handle.db, { now: new Date("2025-03-14T09:30:00Z") });
    [{ id: rolloutId }] = await handle.db.select({ id: rollouts.id }).from(rollouts).limit(1);
    viewer = await makeUser(handle.db, "viewer");
  }, 240_000);
  afterAll(() => handle?.close());

  const grouped = async (label: ReturnType<typeof sql>, where: ReturnType<typeof sql>) => {
    const rows = await queryRows<{ label: string; state: DeploymentState; n: number }>(
      handle.db,
      sql`select ${label} as label, d.state::text as state, count(*)::int as n
          from deployments d join devices v on v.id = d.device_id join sites s on s.id = v.site_id
          left join departments dep on dep.id = v.department_id
          where ${where} group by 1, 2`,
    );
    const map = new Map<string, StateCounts>();
    for (const r of rows) map.set(r.label, { ...map.get(r.label), [r.state]: Number(r.n) });
    return map;
  };

  it("draws the update's breakdowns and adoption curve exactly as the deployments say", async () => {
    const dashboard = await getUpdateDashboard(viewer, SP2_SLUG);
    const where = sql`d.update_id = (select id from updates where slug = ${SP2_SLUG})`;
    expect(dashboard.bySite).toEqual(breakdownRows(await grouped(sql`s.name`, where)));
    expect(dashboard.byOs).toEqual(breakdownRows(await grouped(sql`v.os_name`, where)));
    expect(dashboard.byDepartment).toEqual(breakdownRows(await grouped(sql`coalesce(dep.name, 'No department')`, where)));
    expect(dashboard.byOs.some((r) => r.label === "Windows 2000" && r.notApplicable > 0 && r.failed === 0)).toBe(true);

    const days = await queryRows<{ day: string; n: number }>(
      handle.db,
      sql`select to_char((state_occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n
          from deployments d where ${where} and state = 'installed' group by 1 order by 1`,
    );
    expect(dashboard.adoption.map((p) => [p.day, p.installed])).toEqual(days.map((d) => [d.day, Number(d.n)]));
    expect(dashboard.adoption.at(-1)?.cumulative).toBe(dashboard.totals.installed);
    expect(dashboard.totals.installed).toBeGreaterThan(100);
  });

  it("draws the rollout's waves, rates, error codes and alerts from its deployments", async () => {
    const dashboard = await getRolloutDashboard(viewer, rolloutId);
    const byWave = await grouped(sql`d.wave_id::text`, sql`d.rollout_id = ${rolloutId}`);
    expect(dashboard.waves).toHaveLength(4);
    // Installed on an older build than the wave targets (its own, else the rollout's): its own stack.
    const behindRows = await queryRows<{ wave_id: number; n: number }>(
      handle.db,
      sql`select d.wave_id, count(*)::int as n from deployments d
          join waves w on w.id = d.wave_id join rollouts r on r.id = w.rollout_id
          where d.rollout_id = ${rolloutId} and d.state = 'installed' and d.build_id < coalesce(w.build_id, r.build_id)
          group by 1`,
    );
    const behind = new Map(behindRows.map((r) => [Number(r.wave_id), Number(r.n)]));
    expect([...behind.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // the demo's IT workstations still on RC2
    for (const w of dashboard.waves) {
      const expected = withBehind(groupCounts(byWave.get(String(w.waveId)) ?? {}), behind.get(w.waveId) ?? 0);
      expect({ ...w }).toMatchObject(expected);
    }
    for (const r of dashboard.rates) {
      const counts = byWave.get(String(r.waveId)) ?? {};
      const attempted = ["downloading", "installing", "reboot_required", "installed", "failed", "rolled_back"].reduce((n, s) => n + (counts[s as DeploymentState] ?? 0), 0);
      expect(r.attempted).toBe(attempted);
      if (attempted) expect(r.failureRatePct).toBeCloseTo((((counts.failed ?? 0) + (counts.rolled_back ?? 0)) * 100) / attempted, 10);
    }

    const codes = await queryRows<{ code: string; n: number }>(
      handle.db,
      sql`select error_code as code, count(*)::int as n from deployments
          where rollout_id = ${rolloutId} and error_code is not null and state in ('failed', 'rolled_back', 'held', 'deferred', 'downloading', 'installing', 'reboot_required')
          group by 1 order by 2 desc, 1 limit 10`,
    );
    expect(codes.length).toBeGreaterThan(2);
    expect(dashboard.topErrorCodes.map((e) => [e.errorCode, e.devices])).toEqual(codes.map((c) => [c.code, Number(c.n)]));
    expect(dashboard.alerts.length).toBeGreaterThan(0);
    for (const a of dashboard.alerts) expect(a.remedy).toBe(ALERT_REMEDIES[a.alert]);
    expect(dashboard.alerts.map((a) => a.alert)).toContain("safeguard_hold");
    expect(dashboard.filterOptions.osNames).toContain("Windows XP");
  });

  it("keeps the by-department bars equal to a GROUP BY over the deployments after an ingest batch", async () => {
    const where = sql`d.update_id = (select id from updates where slug = ${SP2_SLUG})`;
    const before = (await getUpdateDashboard(viewer, SP2_SLUG)).byDepartment;
    // Devices of several departments whose SP2 deployment is not installed yet.
    const targets = await queryRows<{ hostname: string }>(
      handle.db,
      sql`select distinct on (v.department_id) v.hostname from deployments d join devices v on v.id = d.device_id
          where ${where} and d.state in ('pending', 'scheduled', 'downloading') order by v.department_id, v.id`,
    );
    expect(targets.length).toBeGreaterThan(2);
    const answer = await ingestStatusEvents(
      system,
      targets.map((t, i) => ({ device: t.hostname, update: SP2_SLUG, state: i % 2 ? "failed" : "installed", occurredAt: "2025-03-14T10:00:00Z", eventId: `by-department-${i}` })),
      { db: handle.db },
    );
    expect(answer.accepted).toBe(targets.length);
    const after = (await getUpdateDashboard(viewer, SP2_SLUG)).byDepartment;
    expect(after).not.toEqual(before);
    expect(after).toEqual(breakdownRows(await grouped(sql`coalesce(dep.name, 'No department')`, where)));
  });

  it("moves the rollout's error codes, alerts and offline-media counts with ingest, equal to the deployments", async () => {
    const attention = sql`('failed', 'rolled_back', 'held', 'deferred', 'downloading', 'installing', 'reboot_required')`;
    const expected = async () => {
      const codes = await queryRows<{ code: string; n: number }>(
        handle.db,
        sql`select error_code as code, count(*)::int as n from deployments
            where rollout_id = ${rolloutId} and error_code is not null and state in ${attention} group by 1 order by 2 desc, 1 limit 10`,
      );
      const alerts = await queryRows<{ alert: string; n: number }>(
        handle.db,
        sql`select alert::text as alert, count(*)::int as n from deployments
            where rollout_id = ${rolloutId} and alert is not null and state in ${attention} group by 1 order by 2 desc, 1`,
      );
      const offline = await queryRows<{ wave_id: number; n: number; installed: number }>(
        handle.db,
        sql`select wave_id, count(*)::int as n, count(*) filter (where state = 'installed')::int as installed from deployments
            where rollout_id = ${rolloutId} and wave_id is not null and channel in ('offline_media', 'technician') group by 1`,
      );
      return { codes: codes.map((c) => [c.code, Number(c.n)]), alerts: alerts.map((a) => [a.alert, Number(a.n)]), offline };
    };
    const shown = async () => {
      const dashboard = await getRolloutDashboard(viewer, rolloutId);
      const media = await mediaStatusForRollout(viewer, rolloutId);
      return {
        codes: dashboard.topErrorCodes.map((e) => [e.errorCode, e.devices]),
        alerts: dashboard.alerts.map((a) => [a.alert, a.devices]),
        offline: media.filter((m) => m.offlineDevices > 0).map((m) => ({ wave_id: m.waveId, n: m.offlineDevices, installed: m.installed })),
      };
    };
    const sortWaves = <T extends { offline: { wave_id: number }[] }>(v: T) => ({ ...v, offline: [...v.offline].sort((a, b) => a.wave_id - b.wave_id) });

    // Offline devices in the rollout's waves and network ones with a wave: fail them with a code no
    // deployment has yet and an alert, then install half of them again.
    const targets = await queryRows<{ hostname: string }>(
      handle.db,
      sql`(select v.hostname from deployments d join devices v on v.id = d.device_id
           where d.rollout_id = ${rolloutId} and d.wave_id is not null and d.channel = 'offline_media' and d.state <> 'installed' order by v.id limit 4)
          union all
          (select v.hostname from deployments d join devices v on v.id = d.device_id
           where d.rollout_id = ${rolloutId} and d.wave_id is not null and d.channel = 'network' and d.state in ('pending', 'scheduled') order by v.id limit 6)`,
    );
    expect(targets.length).toBeGreaterThan(4);
    const failed = await ingestStatusEvents(
      system,
      targets.map((t, i) => ({
        device: t.hostname,
        update: SP2_SLUG,
        state: "failed",
        occurredAt: "2025-03-14T11:00:00Z",
        errorCode: "0x8024TEST",
        alert: "download_timeout",
        message: "The download timed out.",
        eventId: `signals-fail-${i}`,
      })),
      { db: handle.db },
    );
    expect(failed.accepted).toBe(targets.length);
    const afterFail = await shown();
    expect(afterFail.codes).toContainEqual(["0x8024TEST", targets.length]);
    expect(sortWaves(afterFail)).toEqual(sortWaves(await expected()));

    const installed = await ingestStatusEvents(
      system,
      targets.filter((_, i) => i % 2 === 0).map((t, i) => ({ device: t.hostname, update: SP2_SLUG, state: "installed", occurredAt: "2025-03-14T12:00:00Z", eventId: `signals-install-${i}` })),
      { db: handle.db },
    );
    expect(installed.accepted).toBe(Math.ceil(targets.length / 2));
    const afterInstall = await shown();
    expect(afterInstall.codes).toContainEqual(["0x8024TEST", Math.floor(targets.length / 2)]);
    expect(sortWaves(afterInstall)).toEqual(sortWaves(await expected()));
    expect((await verifySummaries(handle.db)).signalDrift).toEqual([]);
  });

  it("refuses anonymous callers and answers 404 for unknown rollouts and updates", async () => {
    await expect(getRolloutDashboard(null, rolloutId)).rejects.toMatchObject({ status: 401 });
    await expect(getUpdateDashboard(null, SP2_SLUG)).rejects.toMatchObject({ status: 401 });
    await expect(getRolloutDashboard(system, 987654)).rejects.toBeInstanceOf(HttpError);
    await expect(getUpdateDashboard(system, "no-such-update")).rejects.toMatchObject({ status: 404 });
  });
});
