import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { HttpError } from "@/lib/http/problem";
import { createKnownIssue, updateKnownIssue } from "./actions";
import { sql } from "drizzle-orm";
import { impactDevices, impactForIssue, impactForRollout } from "./impact";
import { setSafeguardHold } from "@/lib/rollouts/holds";
import { countedImpactForRollout, forgetCountedImpact, IMPACT_MAX_AGE_MS } from "./impact-cache";
import { CRM, crmIssueInput, FIREWALL, seedKnownIssueFixture, type Fixture, type FixtureDevice } from "@/test/support/fixtures/known-issues";
import { versionInRange } from "./version-range";

describe.each(testDbKinds)("impact analysis on %s", (kind) => {
  let handle: DbHandle;
  let fx: Fixture;

  /** The oracle: a plain loop over the generated inventory. */
  const expectedHosts = (waveId: number, app: string, range: string) =>
    fx.devices
      .filter((d: FixtureDevice) => fx.waveOf.get(d.id) === waveId && d.apps[app] !== undefined && versionInRange(range, d.apps[app]))
      .map((d) => d.hostname.toLowerCase())
      .sort();

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await seedKnownIssueFixture(handle.db);
    await createKnownIssue(fx.editor, crmIssueInput({ affectedApps: [{ name: CRM, versionRange: "1.2" }] }));
    await createKnownIssue(fx.editor, {
      title: "Sygate 5.5 blocks file sharing",
      update: "windows-xp-sp2",
      affectedApps: [{ name: FIREWALL, versionRange: ">=5.5 <5.6" }],
    });
    await createKnownIssue(fx.editor, { title: "No apps named yet", update: "windows-xp-sp2" });
  });
  afterAll(() => closeDb());

  it("counts, per wave and before any wave starts, the devices with an affected app version", async () => {
    const impact = await impactForIssue(fx.viewer, "RC-0001");
    expect(impact.rollouts).toHaveLength(1);
    const waves = impact.rollouts[0].waves;
    expect(waves.map((w) => w.status)).toEqual(["planned", "planned", "planned"]);
    for (const [i, waveId] of fx.waveIds.entries()) {
      expect(waves[i].waveId).toBe(waveId);
      expect(waves[i].affected).toBe(expectedHosts(waveId, CRM, "1.2").length);
      expect(waves[i].devices).toBe([...fx.waveOf.values()].filter((w) => w === waveId).length);
      expect(waves[i].held).toBe(0);
    }
    expect(waves.reduce((n, w) => n + w.affected, 0)).toBeGreaterThan(0);
    // The whole inventory, Windows 2000 machines included.
    expect(impact.inventoryAffected).toBe(fx.devices.filter((d) => d.apps[CRM] && versionInRange("1.2", d.apps[CRM])).length);
  });

  it("counts held devices once the hold is on", async () => {
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", safeguardHold: true });
    const impact = await impactForIssue(fx.viewer, "RC-0001");
    for (const wave of impact.rollouts[0].waves) expect(wave.held).toBe(wave.affected);
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", safeguardHold: false });
  });

  it("pages through the affected hostnames of a wave in order, without gaps or repeats", async () => {
    for (const [advisoryId, app, range] of [
      ["RC-0001", CRM, "1.2"],
      ["RC-0002", FIREWALL, ">=5.5 <5.6"],
    ] as const) {
      for (const waveId of fx.waveIds) {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 50; page++) {
          const result = await impactDevices(fx.viewer, advisoryId, { waveId, cursor, limit: 2 });
          expect(result.items.length).toBeLessThanOrEqual(2);
          seen.push(...result.items.map((d) => d.hostname.toLowerCase()));
          for (const item of result.items) expect(item.apps).toContain(app);
          if (!result.nextCursor) break;
          cursor = result.nextCursor;
        }
        expect(seen).toEqual(expectedHosts(waveId, app, range));
      }
    }
  });

  it("shows every issue of the update per wave on the rollout page", async () => {
    const impact = await impactForRollout(fx.viewer, fx.rolloutId);
    expect(impact.issues.map((i) => i.advisoryId)).toEqual(["RC-0001", "RC-0002"]);
    for (const wave of impact.waves) {
      expect(wave.byIssue["RC-0001"].affected).toBe(expectedHosts(wave.waveId, CRM, "1.2").length);
      expect(wave.byIssue["RC-0002"].affected).toBe(expectedHosts(wave.waveId, FIREWALL, ">=5.5 <5.6").length);
    }
  });

  it("counts the rollout page's impact at most once per maximum age, and afresh after a known-issue edit or a hold", async () => {
    forgetCountedImpact();
    const crmPerWave = (impact: { waves: { byIssue: Record<string, { affected: number }> }[] }) => impact.waves.map((w) => w.byIssue["RC-0001"].affected);
    const t0 = Date.now();
    const first = await countedImpactForRollout(fx.viewer, fx.rolloutId, t0);
    expect(crmPerWave(first)).toEqual(fx.waveIds.map((id) => expectedHosts(id, CRM, "1.2").length));
    expect(first.countedAt.getTime()).toBe(t0);

    // A change behind the cache's back (not through the known-issue actions) shows once the count is older than the maximum age.
    const setRange = (range: string) =>
      handle.db.execute(sql`update known_issue_apps set version_range = ${range} where known_issue_id = (select id from known_issues where advisory_id = 'RC-0001')`);
    await setRange("*");
    const cached = await countedImpactForRollout(fx.viewer, fx.rolloutId, t0 + IMPACT_MAX_AGE_MS - 1);
    expect(crmPerWave(cached)).toEqual(crmPerWave(first));
    expect(cached.countedAt.getTime()).toBe(t0);
    const recounted = await countedImpactForRollout(fx.viewer, fx.rolloutId, t0 + IMPACT_MAX_AGE_MS);
    expect(crmPerWave(recounted)).toEqual(fx.waveIds.map((id) => expectedHosts(id, CRM, "*").length));
    expect(crmPerWave(recounted)).not.toEqual(crmPerWave(first));

    // An edit through the actions clears the cache at once.
    await setRange("1.2");
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", affectedApps: [{ name: CRM, versionRange: "*" }] });
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", affectedApps: [{ name: CRM, versionRange: "1.2" }] });
    const afterEdit = await countedImpactForRollout(fx.viewer, fx.rolloutId, t0 + IMPACT_MAX_AGE_MS + 1);
    expect(crmPerWave(afterEdit)).toEqual(crmPerWave(first));

    // So does a safeguard hold, which moves devices to held.
    const [{ id: crmIssueId }] = (await handle.db.execute(sql`select id from known_issues where advisory_id = 'RC-0001'`)).rows as { id: number }[];
    await setSafeguardHold(fx.editor, { knownIssueId: crmIssueId, on: true });
    const held = await countedImpactForRollout(fx.viewer, fx.rolloutId, t0 + IMPACT_MAX_AGE_MS + 1);
    expect(held.waves.map((w) => w.byIssue["RC-0001"].held)).toEqual(crmPerWave(first));
    await setSafeguardHold(fx.editor, { knownIssueId: crmIssueId, on: false });
    const lifted = await countedImpactForRollout(fx.viewer, fx.rolloutId, t0 + IMPACT_MAX_AGE_MS + 1);
    expect(lifted.waves.every((w) => w.byIssue["RC-0001"].held === 0)).toBe(true);

    // Who asks is checked on every call, cached or not.
    await expect(countedImpactForRollout(null, fx.rolloutId, t0 + IMPACT_MAX_AGE_MS + 2)).rejects.toBeInstanceOf(HttpError);
  });

  it("follows a change of the version range", async () => {
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", affectedApps: [{ name: CRM, versionRange: "*" }] });
    const impact = await impactForIssue(fx.viewer, "RC-0001");
    for (const wave of impact.rollouts[0].waves) expect(wave.affected).toBe(expectedHosts(wave.waveId, CRM, "*").length);
  });

  it("has nothing to show for an issue without affected apps, and 404 for an unknown one", async () => {
    const impact = await impactForIssue(fx.viewer, "RC-0003");
    expect(impact.rollouts[0].waves.every((w) => w.affected === 0)).toBe(true);
    expect((await impactDevices(fx.viewer, "RC-0003", { waveId: fx.waveIds[0] })).items).toEqual([]);
    await expect(impactForIssue(fx.viewer, "RC-0404")).rejects.toBeInstanceOf(HttpError);
    await expect(impactForIssue(null, "RC-0001")).rejects.toMatchObject({ status: 401 });
  });
});
