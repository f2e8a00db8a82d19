import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "../client";
import { createTestDb, testDbKinds } from "../test-db";
import { verifyPassword } from "@/lib/auth/password";
import { verifySummaries } from "@/lib/deployments/summaries";
import { mediaStatusForRollout } from "@/lib/rollouts/media";
import { CRM_APP_NAME, DEMO_USERS, DEMO_WAVE_NAMES, isDatabaseEmpty, readDemoLogins, seedDemo, SP2_SLUG, writeDemoLogins, type DemoLogin } from "@/lib/seed/demo";

const NOW = new Date("2025-03-14T09:30:00Z");

/** Every deployment with its latest event (occurredAt, then event key: the ingest order). */
const LATEST_EVENT = sql`
  select d.id, d.state::text as state, d.state_occurred_at, d.state_event_key, d.wave_id, d.attempts,
         e.state::text as event_state, e.occurred_at as event_at, e.event_id || chr(31) || e.source as event_key
  from deployments d
  left join lateral (
    select state, occurred_at, event_id, source from status_events e
    where e.device_id = d.device_id and e.update_id = d.update_id
    order by occurred_at desc, event_id || chr(31) || source desc
    limit 1
  ) e on true`;

describe.each(testDbKinds)("demo seed on %s", (kind) => {
  let handle: DbHandle;
  let logins: DemoLogin[];
  let emptyBefore: boolean;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    emptyBefore = await isDatabaseEmpty(handle.db);
    ({ logins } = await seedDemo(handle.db, { now: NOW }));
  });
  afterAll(() => handle?.close());

  const rows = <T,>(query: ReturnType<typeof sql>) => queryRows<T>(handle.db, query);

  it("only counts as empty before it ran", async () => {
    expect(emptyBefore).toBe(true);
    expect(await isDatabaseEmpty(handle.db)).toBe(false);
  });

  it("refuses to seed the same database twice and leaves it as it was", async () => {
    await expect(seedDemo(handle.db, { now: NOW })).rejects.toThrow(/already .*in this database/);
    const [counts] = await rows<{ users: number; updates: number }>(
      sql`select (select count(*)::int from users) as users, (select count(*)::int from updates) as updates`,
    );
    expect(counts).toEqual({ users: 4, updates: 4 });
  });

  it("has machines seen recently, never before their last report", async () => {
    const [seen] = await rows<{ stale: number; before_report: number; reported: number }>(
      sql`select count(*) filter (where last_seen_at < ${new Date(NOW.getTime() - 10 * 86_400_000)} or last_seen_at > ${NOW})::int as stale,
                 count(*) filter (where last_seen_at < last_reported_at)::int as before_report,
                 count(*) filter (where last_reported_at is not null)::int as reported
          from devices`,
    );
    expect(seen).toMatchObject({ stale: 0, before_report: 0 });
    expect(seen.reported).toBeGreaterThan(1000);
  });

  it("has Windows XP SP2 with builds RC1, RC2 and Final", async () => {
    const [sp2] = await rows<{ id: number; title: string; kind: string; kb: string; size_bytes: string; planned_release_date: string }>(
      sql`select id, title, kind::text, kb, size_bytes, planned_release_date::text from updates where slug = ${SP2_SLUG}`,
    );
    expect(sp2).toMatchObject({ title: "Windows XP Service Pack 2", kind: "service_pack", kb: "KB835935" });
    expect(Number(sp2.size_bytes)).toBeGreaterThan(250 * 1024 * 1024);
    const builds = await rows<{ name: string; kind: string }>(
      sql`select name, kind::text from builds where update_id = ${sp2.id} order by released_at`,
    );
    expect(builds).toEqual([
      { name: "RC1", kind: "rc" },
      { name: "RC2", kind: "rc" },
      { name: "Final", kind: "final" },
    ]);
  });

  it("records the release date slipping by a month, then a week, the last one being the planned date and the final build's release", async () => {
    const slips = await rows<{ planned: string; recorded: string; note: string }>(
      sql`select r.planned_date::text as planned, r.recorded_at::text as recorded, r.note from release_date_changes r join updates u on u.id = r.update_id
          where u.slug = ${SP2_SLUG} order by r.recorded_at`,
    );
    const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
    expect(slips).toHaveLength(3);
    expect(days(slips[0].planned, slips[1].planned)).toBe(30);
    expect(days(slips[1].planned, slips[2].planned)).toBe(7);
    for (const slip of slips) {
      expect(slip.note.length).toBeGreaterThan(10);
      expect(Date.parse(slip.recorded)).toBeLessThan(Date.parse(slip.planned) + 86_400_000);
    }
    const [update] = await rows<{ planned: string }>(sql`select planned_release_date::text as planned from updates where slug = ${SP2_SLUG}`);
    expect(update.planned).toBe(slips[2].planned);
    const [final] = await rows<{ day: string }>(
      sql`select to_char(b.released_at at time zone 'UTC', 'YYYY-MM-DD') as day from builds b join updates u on u.id = b.update_id where u.slug = ${SP2_SLUG} and b.name = 'Final'`,
    );
    expect(final.day).toBe(update.planned);
  });

  it("tells one recent story: no date of the demo lies years before the day it was seeded", async () => {
    const [oldest] = await rows<{ at: string }>(
      sql`select least(
            (select min(released_at) from builds),
            (select min(recorded_at) from release_date_changes),
            (select min(planned_date)::timestamptz from release_date_changes),
            (select min(occurred_at) from status_events),
            (select min(published_at) from known_issue_fix_links)
          )::text as at`,
    );
    const ageDays = (NOW.getTime() - Date.parse(oldest.at)) / 86_400_000;
    expect(ageDays).toBeLessThan(200);
  });

  it("has one active rollout of the final build with the four waves in order", async () => {
    const rollouts = await rows<{ id: number; status: string; build: string }>(
      sql`select r.id, r.status::text, b.name as build from rollouts r join builds b on b.id = r.build_id`,
    );
    expect(rollouts).toEqual([{ id: expect.any(Number), status: "active", build: "Final" }]);
    const waves = await rows<{ position: number; name: string; status: string }>(
      sql`select position, name, status::text from waves where rollout_id = ${rollouts[0].id} order by position`,
    );
    expect(waves.map((w) => w.name)).toEqual([...DEMO_WAVE_NAMES]);
    expect(waves.map((w) => w.name)).toEqual(["0 – IT department pilot", "1 – headquarters", "2 – branch offices", "3 – home workers"]);
    expect(waves.map((w) => w.position)).toEqual([0, 1, 2, 3]);
    expect(waves.map((w) => w.status)).toEqual(["completed", "active", "planned", "planned"]);
  });

  it("keeps Windows 2000 machines not applicable and out of every wave", async () => {
    const [counts] = await rows<{ devices: number; win2000: number }>(
      sql`select count(*)::int as devices, count(*) filter (where os_name = 'Windows 2000')::int as win2000 from devices`,
    );
    expect(counts.devices).toBeGreaterThanOrEqual(1900);
    expect(counts.win2000 / counts.devices).toBeGreaterThan(0.05);
    expect(counts.win2000 / counts.devices).toBeLessThan(0.12);
    const states = await rows<{ state: string; wave_id: number | null; n: number }>(
      sql`select d.state::text, d.wave_id, count(*)::int as n from deployments d join devices v on v.id = d.device_id
          join updates u on u.id = d.update_id
          where v.os_name = 'Windows 2000' and u.slug = ${SP2_SLUG} group by 1, 2`,
    );
    expect(states).toEqual([{ state: "not_applicable", wave_id: null, n: counts.win2000 }]);
  });

  it("puts every machine in the wave its story says, on its channel", async () => {
    const byWave = await rows<{ position: number; site_kind: string; channel: string; n: number }>(
      sql`select w.position, s.kind::text as site_kind, d.channel::text, count(*)::int as n
          from deployments d join waves w on w.id = d.wave_id join devices v on v.id = d.device_id join sites s on s.id = v.site_id
          group by 1, 2, 3 order by 1, 2, 3`,
    );
    expect(byWave.filter((r) => r.position === 0)).toEqual([{ position: 0, site_kind: "hq", channel: "network", n: 40 }]);
    expect(byWave.filter((r) => r.position === 1).map((r) => r.site_kind)).toEqual(["hq"]);
    expect(byWave.filter((r) => r.position === 2).every((r) => r.site_kind === "branch" && r.channel === "network")).toBe(true);
    expect(byWave.filter((r) => r.position === 3).map((r) => r.channel).sort()).toEqual(["offline_media", "technician"]);
    const [pilot] = await rows<{ n: number; it: number }>(
      sql`select count(*)::int as n, count(*) filter (where dep.name = 'IT')::int as it
          from devices v join departments dep on dep.id = v.department_id where 'pilot' = any(v.tags)`,
    );
    expect(pilot).toEqual({ n: 40, it: 40 });
    const hosts = await rows<{ hostname: string }>(sql`select hostname from devices where hostname in ('HQ-WS-0001', 'BR1-WS-0001', 'HOME-LT-0001')`);
    expect(hosts).toHaveLength(3);
  });

  it("shows the headquarters wave mid-flight with mixed states, error codes and alerts", async () => {
    const states = await rows<{ state: string; n: number }>(
      sql`select d.state::text, count(*)::int as n from deployments d join waves w on w.id = d.wave_id where w.position = 1 group by 1`,
    );
    const count = Object.fromEntries(states.map((s) => [s.state, s.n]));
    for (const state of ["installed", "downloading", "installing", "reboot_required", "failed", "rolled_back", "pending"]) {
      expect(count[state], state).toBeGreaterThan(0);
    }
    const finished = count.installed + count.failed + count.rolled_back;
    expect(count.installed / finished).toBeGreaterThanOrEqual(0.95);
    const failures = await rows<{ error_code: string; alert: string | null }>(
      sql`select distinct d.error_code, d.alert::text from deployments d join waves w on w.id = d.wave_id
          where w.position = 1 and d.state in ('failed', 'rolled_back')`,
    );
    const codes = failures.map((f) => f.error_code);
    expect(codes).toEqual(expect.arrayContaining(["0x80070005", "0x8007000E", "0x80240022"]));
    expect(failures.map((f) => f.alert)).toEqual(expect.arrayContaining(["disk_full", "download_timeout", "rollback_initiated"]));
  });

  it("has RC-0001 resolved (external) with its vendor fix link, affected app and history", async () => {
    const [issue] = await rows<{ id: number; status: string; severity: string; safeguard_hold: boolean }>(
      sql`select id, status::text, severity::text, safeguard_hold from known_issues where advisory_id = 'RC-0001'`,
    );
    expect(issue).toMatchObject({ status: "resolved_external", severity: "high", safeguard_hold: false });
    const links = await rows<{ url: string; type: string; vendor: string }>(
      sql`select url, type::text, vendor from known_issue_fix_links where known_issue_id = ${issue.id}`,
    );
    expect(links).toHaveLength(1);
    expect(links[0].url).toMatch(/^https:\/\//);
    expect(links[0]).toMatchObject({ type: "patch", vendor: "Microsoft" });
    const apps = await rows<{ app_name: string; version_range: string; linked: string | null }>(
      sql`select k.app_name, k.version_range, a.name as linked from known_issue_apps k left join apps a on a.id = k.app_id where k.known_issue_id = ${issue.id}`,
    );
    expect(apps).toEqual([{ app_name: CRM_APP_NAME, version_range: "1.2", linked: CRM_APP_NAME }]);
    const history = await rows<{ from_value: string | null; to_value: string }>(
      sql`select from_value, to_value from known_issue_history where known_issue_id = ${issue.id} and field = 'status' order by at, id`,
    );
    expect(history.map((h) => h.to_value)).toEqual(["reported", "investigating", "confirmed", "resolved_external"]);
    expect(history.slice(1).map((h) => h.from_value)).toEqual(["reported", "investigating", "confirmed"]);
  });

  it("has the other two issues: a mitigated firewall issue and an investigated RC2 disruption holding its machines", async () => {
    const issues = await rows<{ id: number; advisory_id: string; status: string; safeguard_hold: boolean; safeguard_hold_id: string | null; workaround: string }>(
      sql`select id, advisory_id, status::text, safeguard_hold, safeguard_hold_id, workaround from known_issues order by advisory_id`,
    );
    expect(issues.map((i) => [i.advisory_id, i.status])).toEqual([
      ["RC-0001", "resolved_external"],
      ["RC-0002", "mitigated"],
      ["RC-0003", "investigating"],
    ]);
    expect(issues[1].workaround).toContain("Sygate");
    const rc3 = issues[2];
    expect(rc3).toMatchObject({ safeguard_hold: true, safeguard_hold_id: "SH-2004-07" });
    const held = await rows<{ held_by: number | null; has_app: boolean; wave: number | null }>(
      sql`select d.held_by_issue_id as held_by, w.position as wave,
                 exists (select 1 from device_apps da join known_issue_apps k on k.app_id = da.app_id
                         where da.device_id = d.device_id and k.known_issue_id = ${rc3.id}) as has_app
          from deployments d left join waves w on w.id = d.wave_id where d.state = 'held'`,
    );
    expect(held.length).toBeGreaterThan(10);
    expect(held.every((h) => h.held_by === rc3.id && h.has_app)).toBe(true);
    // The CRM hold was lifted when the vendor fix came out: no CRM machine waits on it.
    const [crmHeld] = await rows<{ n: number }>(
      sql`select count(*)::int as n from deployments d join known_issues k on k.id = d.held_by_issue_id where k.advisory_id = 'RC-0001'`,
    );
    expect(crmHeld.n).toBe(0);
    const [crmLater] = await rows<{ n: number }>(
      sql`select count(*)::int as n from deployments d join waves w on w.id = d.wave_id join device_apps da on da.device_id = d.device_id
          join apps a on a.id = da.app_id where a.name = ${CRM_APP_NAME} and w.position >= 2 and d.state = 'pending'`,
    );
    expect(crmLater.n).toBeGreaterThan(0);
    const [reports] = await rows<{ n: number }>(sql`select count(*)::int as n from helpdesk_reports`);
    expect(reports.n).toBeGreaterThanOrEqual(2);
  });

  it("gives every deployment the state, time and key of its latest status event", async () => {
    const all = await rows<{ state: string; state_occurred_at: Date | null; state_event_key: string | null; event_state: string | null; event_at: Date | null; event_key: string | null }>(LATEST_EVENT);
    expect(all.length).toBeGreaterThan(2000);
    const wrong = all.filter((d) =>
      d.event_state === null
        ? d.state !== "pending" || d.state_occurred_at !== null || d.state_event_key !== null
        : d.event_state !== d.state || new Date(d.event_at!).getTime() !== new Date(d.state_occurred_at!).getTime() || d.event_key !== d.state_event_key,
    );
    expect(wrong).toEqual([]);
    const [late] = await rows<{ n: number }>(sql`select count(*)::int as n from status_events where occurred_at > ${NOW}`);
    expect(late.n).toBe(0);
    const [pilotHistory] = await rows<{ rc1: number; rc2: number }>(
      sql`select count(*) filter (where message like '%RC1%')::int as rc1, count(*) filter (where message like '%RC2%')::int as rc2
          from status_events e join devices v on v.id = e.device_id where v.hostname = 'HQ-WS-0001'`,
    );
    expect(pilotHistory.rc1).toBeGreaterThan(0);
    expect(pilotHistory.rc2).toBeGreaterThan(0);
  });

  it("keeps the summary tables equal to a GROUP BY over the deployments", async () => {
    const report = await verifySummaries(handle.db);
    expect(report.countDrift).toEqual([]);
    expect(report.adoptionDrift).toEqual([]);
    expect(report.signalDrift).toEqual([]);
    const [totals] = await rows<{ summed: number; deployments: number; installed: number; adopted: number }>(
      sql`select (select sum(count)::int from deployment_counts) as summed, (select count(*)::int from deployments) as deployments,
                 (select count(*)::int from deployments where state = 'installed') as installed,
                 (select sum(installed)::int from adoption_daily) as adopted`,
    );
    expect(totals.summed).toBe(totals.deployments);
    expect(totals.adopted).toBe(totals.installed);
  });

  it("creates one demo user per role with an argon2id hash of the returned password", async () => {
    const users = await rows<{ email: string; role: string; password_hash: string }>(sql`select email, role::text, password_hash from users order by id`);
    expect(users.map((u) => u.role).sort()).toEqual(["admin", "editor", "helpdesk", "viewer"]);
    expect(logins.map((l) => l.email)).toEqual(DEMO_USERS.map((u) => u.email));
    expect(new Set(logins.map((l) => l.password)).size).toBe(4);
    for (const login of logins) {
      const user = users.find((u) => u.email === login.email)!;
      expect(user.role).toBe(login.role);
      expect(user.password_hash.startsWith("$argon2id$")).toBe(true);
      expect(login.password.length).toBeGreaterThanOrEqual(16);
      expect(await verifyPassword(user.password_hash, login.password)).toBe(true);
      expect(await verifyPassword(user.password_hash, login.password + "x")).toBe(false);
    }
  });

  it("is deterministic: a second run gives the same machines and states", async () => {
    const snapshot = (db: DbHandle["db"]) =>
      queryRows<{ row: string }>(
        db,
        sql`select v.hostname || '|' || v.os_name || '|' || u.slug || '|' || d.state || '|' || coalesce(d.error_code, '') || '|' ||
                   coalesce(extract(epoch from d.state_occurred_at)::text, '') as row
            from deployments d join devices v on v.id = d.device_id join updates u on u.id = d.update_id
            order by v.hostname, u.slug`,
      );
    const second = await createTestDb(kind);
    try {
      await seedDemo(second.db, { now: NOW });
      const [a, b] = await Promise.all([snapshot(handle.db), snapshot(second.db)]);
      expect(b.length).toBe(a.length);
      expect(b).toEqual(a);
    } finally {
      await second.close();
    }
  });

  it("tracks the home workers' CD-ROMs per machine: two batches posted, some received, none installed before the wave starts, a few overdue, two returned, appointments at one branch", async () => {
    useDbHandle(handle);
    const [rollout] = await rows<{ id: number; home: number }>(sql`select r.id, w.id as home from rollouts r join waves w on w.rollout_id = r.id and w.position = 3`);
    const batches = await rows<{ batch: string; n: number }>(sql`select batch, count(*)::int as n from media_steps where step = 'posted' group by 1 order by 1`);
    expect(batches.map((b) => b.batch)).toEqual(["HOME-CD-01 (Royal Mail recorded)", "HOME-CD-02 (Royal Mail recorded)"]);
    const [home] = (await mediaStatusForRollout({ kind: "system", label: "test" }, rollout.id, NOW)).filter((w) => w.waveId === rollout.home);
    expect(home.counts.received).toBeGreaterThan(10);
    // The home workers' wave has not started (release + 56 days): a disc that arrived waits for it (issue #18).
    expect(home.counts.installed).toBe(0);
    expect(home.counts.posted).toBeGreaterThan(home.overdue);
    expect(home.overdue).toBeGreaterThan(2);
    expect(home.overdue).toBeLessThan(20);
    expect(home.counts.returned).toBe(2);
    expect(home.counts.to_send).toBeGreaterThan(0);
    const offices = await rows<{ office: string; n: number; ahead: number }>(
      sql`select office, count(*)::int as n, count(*) filter (where occurred_at > ${NOW})::int as ahead from media_steps where step = 'appointment' group by 1`,
    );
    expect(offices).toEqual([{ office: "Leeds branch", n: 8, ahead: 6 }]);
    // The installed step is the deployment's own report, and every machine that installed had its disc.
    const [installed] = await rows<{ n: number; without_disc: number }>(
      sql`select count(*)::int as n, count(*) filter (where not exists (select 1 from media_steps m where m.device_id = d.device_id and m.step = 'posted'))::int as without_disc
          from deployments d where d.wave_id = ${rollout.home} and d.state = 'installed'`,
    );
    expect(installed).toEqual({ n: home.counts.installed, without_disc: 0 });
    // Nothing is recorded after it was recorded, and no step but an appointment lies in the future.
    const [odd] = await rows<{ n: number }>(sql`select count(*)::int as n from media_steps where recorded_at > ${NOW} or (step <> 'appointment' and occurred_at > ${NOW})`);
    expect(odd.n).toBe(0);
  });
});

describe("demo logins file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rollcall-logins-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("round-trips one line per role, readable by its owner only", async () => {
    const logins: DemoLogin[] = [
      { role: "admin", email: "admin@demo.rollcall.local", password: "pw-admin-123456789" },
      { role: "viewer", email: "viewer@demo.rollcall.local", password: "pw-viewer-12345678" },
    ];
    expect(await readDemoLogins(dir)).toEqual([]);
    const file = await writeDemoLogins(dir, logins);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readDemoLogins(dir)).toEqual(logins);
  });

  it("makes an existing, too open file private again", async () => {
    const file = path.join(dir, "demo-logins.txt");
    await writeFile(file, "old\n", { mode: 0o644 });
    await writeDemoLogins(dir, [{ role: "editor", email: "editor@demo.rollcall.local", password: "pw-editor-12345678" }]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readDemoLogins(dir)).map((l) => l.role)).toEqual(["editor"]);
  });
});
