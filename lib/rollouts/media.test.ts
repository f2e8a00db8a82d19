// Offline media per machine (issue #21) against both databases: the bulk record's per-row answers,
// who may record which step, the counts per step against a GROUP BY of their own, the overdue
// threshold, the list and CSV, and the machine's journey — through the DAL and the route handler.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { mediaSteps } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/tokens";
import { HttpError } from "@/lib/http/problem";
import { addDevices, makeCatalog, makeUser, setStates, type FixtureDevice } from "@/test/support/fixtures/catalog";
import { POST as postMedia } from "@/app/api/v1/rollouts/[id]/media/route";
import { GET as getMediaCsv } from "@/app/api/v1/rollouts/[id]/media.csv/route";
import { allMediaJourneys, deviceMediaJourneys, listMediaJourneys, MediaListFilter, mediaStatusForRollout, recordMediaSteps, setMediaOverdueDays } from "./media";
import { saveRolloutPlan } from "./plan";

process.env.AUTH_SECRET ??= "media-secret-media-secret-media-0123456";

const DAY = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

describe.each(testDbKinds)("offline media per machine on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let helpdesk: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;
  let rolloutId: number;
  let homeWave: number;

  const fleet: FixtureDevice[] = [
    ...Array.from({ length: 8 }, (_, i) => ({ hostname: `HOME-${i}`, site: "Home", department: "Sales", channel: (i < 6 ? "offline_media" : "technician") as FixtureDevice["channel"] })),
    { hostname: "HQ-WS-1", department: "IT" },
    { hostname: "LDS-OFF-1", site: "Leeds", channel: "offline_media" },
  ];

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    helpdesk = await makeUser(handle.db, "helpdesk");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
    await addDevices(handle.db, catalog, fleet);
    ({ rolloutId } = await saveRolloutPlan(editor, {
      buildId: catalog.builds[1].id,
      name: "SP2",
      waves: [
        { name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] } },
        { name: "Home workers", targeting: { siteIds: [catalog.site("Home").id] } },
      ],
    }));
    const [wave] = await queryRows<{ id: number }>(handle.db, sql`select id from waves where rollout_id = ${rolloutId} and position = 1`);
    homeWave = wave.id;
  });
  afterAll(() => handle?.close());

  const record = (actor: UserActor, input: Record<string, unknown>) => recordMediaSteps(actor, { rolloutId, ...input } as Parameters<typeof recordMediaSteps>[1]);

  it("answers per hostname: good rows stored, bad ones refused with their reason; a dry run writes nothing", async () => {
    const hostnames = ["HOME-0", "home-1", "NO-SUCH", "HQ-WS-1", "LDS-OFF-1", "HOME-0", "bad host"];
    const check = await record(editor, { hostnames, step: "posted", date: day(20), batch: "HOME-CD-01", reference: "RR123", dryRun: true });
    expect(check).toMatchObject({ dryRun: true, received: 7, accepted: 2 });
    expect(await handle.db.select().from(mediaSteps)).toHaveLength(0);
    const done = await record(editor, { hostnames, step: "posted", date: day(20), batch: "HOME-CD-01", reference: "RR123" });
    expect(done.accepted).toBe(2);
    const reasons = Object.fromEntries(done.rejected.map((r) => [r.hostname, r.errors.map((e) => e.message).join(" ")]));
    expect(done.rejected.map((r) => r.index)).toEqual([2, 3, 4, 5, 6]);
    expect(reasons["NO-SUCH"]).toMatch(/Unknown hostname/);
    expect(reasons["HQ-WS-1"]).toMatch(/Not on an offline channel/);
    expect(reasons["LDS-OFF-1"]).toMatch(/Not in any wave of this rollout/);
    expect(reasons["HOME-0"]).toMatch(/Duplicate: the same machine as row 1/);
    expect(reasons["bad host"]).toMatch(/Not a hostname/);
    expect(await handle.db.select().from(mediaSteps)).toHaveLength(2);
  });

  it("refuses received before posted, a date in the future and a date before the current step, per row", async () => {
    const answer = await record(editor, { hostnames: ["HOME-2", "HOME-0"], step: "received", date: day(25) });
    expect(answer.rejected.map((r) => [r.hostname, r.errors[0].path])).toEqual([
      ["HOME-2", "step"],
      ["HOME-0", "date"],
    ]);
    expect(answer.rejected[0].errors[0].message).toMatch(/Out of order: "received" follows posted/);
    expect(answer.rejected[1].errors[0].message).toMatch(/before the machine's current step/);
    const future = await record(editor, { hostnames: ["HOME-0"], step: "received", date: day(-3) });
    expect(future.rejected[0].errors[0].message).toMatch(/in the future/);
  });

  it("lets helpdesk record received and appointments only, and a viewer nothing", async () => {
    expect(await record(helpdesk, { hostnames: ["HOME-0"], step: "received", date: day(10) })).toMatchObject({ accepted: 1 });
    expect(await record(helpdesk, { hostnames: ["HOME-6"], step: "appointment", date: day(-2), office: "Leeds branch", technician: "Sam" })).toMatchObject({ accepted: 1 });
    const refused = await record(helpdesk, { hostnames: ["HOME-2"], step: "posted", date: day(1), batch: "X" }).catch((e: HttpError) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(403);
    await expect(record(viewer, { hostnames: ["HOME-2"], step: "received", date: day(1) })).rejects.toThrow(/Not allowed/);
    // An appointment needs its office.
    await expect(record(editor, { hostnames: ["HOME-7"], step: "appointment", date: day(1) })).rejects.toMatchObject({ status: 422 });
  });

  it("counts machines per step exactly as a GROUP BY over their latest step, with installed from the deployment and overdue by the wave's days", async () => {
    await record(editor, { hostnames: ["HOME-3", "HOME-4"], step: "posted", date: day(3), batch: "HOME-CD-02" });
    await record(editor, { hostnames: ["HOME-4"], step: "lost", date: day(1) });
    await record(editor, { hostnames: ["HOME-7"], step: "appointment", date: day(16), office: "Leeds branch" });
    await setStates(handle.db, catalog.update.id, { "HOME-3": "installed" });
    const expected = await queryRows<{ step: string; n: number }>(
      handle.db,
      sql`select case when d.state = 'installed' then 'installed' else coalesce(l.step, 'to_send') end as step, count(*)::int as n
          from deployments d
          left join (select device_id, step::text as step, row_number() over (partition by device_id order by occurred_at desc, id desc) as rn
                     from media_steps where rollout_id = ${rolloutId}) l on l.device_id = d.device_id and l.rn = 1
          where d.wave_id = ${homeWave} and d.channel in ('offline_media', 'technician') and d.state not in ('not_applicable', 'excluded')
          group by 1`,
    );
    const [home] = (await mediaStatusForRollout(viewer, rolloutId)).filter((w) => w.waveId === homeWave);
    const shown = Object.entries(home.counts).filter(([, n]) => n > 0);
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(expected.map((e) => [e.step, Number(e.n)])));
    expect(home.counts).toMatchObject({ to_send: 2, posted: 1, received: 1, appointment: 2, installed: 1, lost: 1 });
    expect(home.offlineDevices).toBe(8);
    // HOME-1 posted 20 days ago and HOME-7 booked 16 days ago; HOME-6's appointment is ahead.
    expect(home.overdue).toBe(2);
    await setMediaOverdueDays(editor, { waveId: homeWave, mediaOverdueDays: 30 });
    expect((await mediaStatusForRollout(viewer, rolloutId)).find((w) => w.waveId === homeWave)!.overdue).toBe(0);
    await setMediaOverdueDays(editor, { waveId: homeWave, mediaOverdueDays: 14 });
  });

  it("lists a step with hostname, department and site, and exports it and the mailing list as CSV", async () => {
    const overdue = await listMediaJourneys(viewer, rolloutId, MediaListFilter.parse({ overdue: "1" }));
    expect(overdue.rows.map((r) => r.hostname)).toEqual(["HOME-1", "HOME-7"]);
    expect(overdue.rows[0]).toMatchObject({ step: "posted", department: "Sales", site: "Home", batch: "HOME-CD-01", reference: "RR123", overdue: true });
    const toSend = await allMediaJourneys(viewer, rolloutId, MediaListFilter.parse({ step: "to_send", wave: String(homeWave) }));
    expect(toSend.map((r) => r.hostname)).toEqual(["HOME-2", "HOME-5"]);
    const token = (await createApiToken({ kind: "system", label: "test" }, { name: "reader", scopes: ["read"] })).token;
    const res = await getMediaCsv(
      new Request(`http://127.0.0.1:3999/api/v1/rollouts/${rolloutId}/media.csv?step=to_send`, { headers: { authorization: `Bearer ${token}` } }),
      { params: Promise.resolve({ id: String(rolloutId) }) },
    );
    expect(res.headers.get("content-disposition")).toContain("mailing-list");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe("hostname,department,site,channel,wave,step,stepDate,batch,reference,office,technician,overdue");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["HOME-2", "HOME-5"]);
  });

  it("shows a machine's journey with every step, who recorded it, and installed from its report", async () => {
    const [journey] = await deviceMediaJourneys(viewer, "home-0");
    expect(journey).toMatchObject({ rolloutId, wave: "Home workers", step: "received", overdue: false });
    expect(journey.steps.map((s) => [s.step, s.recordedBy])).toEqual([
      ["posted", editor.email],
      ["received", helpdesk.email],
    ]);
    const [installed] = await deviceMediaJourneys(viewer, "HOME-3");
    expect(installed.step).toBe("installed");
    expect(await deviceMediaJourneys(viewer, "HQ-WS-1")).toEqual([]);
  });

  it("answers the API per hostname like the device import, with ?dryRun and 422 per field", async () => {
    const manage = (await createApiToken({ kind: "system", label: "test" }, { name: "manager", scopes: ["manage"] })).token;
    const post = (body: unknown, query = "") =>
      postMedia(
        new Request(`http://127.0.0.1:3999/api/v1/rollouts/${rolloutId}/media${query}`, {
          method: "POST",
          body: JSON.stringify(body),
          headers: { authorization: `Bearer ${manage}`, "content-type": "application/json" },
        }),
        { params: Promise.resolve({ id: String(rolloutId) }) },
      );
    const dry = await post({ hostnames: ["HOME-2", "NOPE"], step: "posted", date: day(0), batch: "HOME-CD-03" }, "?dryRun=true");
    expect(dry.status).toBe(200);
    expect(await dry.json()).toEqual({ dryRun: true, received: 2, accepted: 1, rejected: [{ index: 1, hostname: "NOPE", errors: [{ path: "hostname", message: 'Unknown hostname "NOPE".' }] }] });
    const bad = await post({ hostnames: ["HOME-2"], step: "installed", date: "yesterday" });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["date", "step"]);
    const applied = await post({ hostnames: ["HOME-2"], step: "posted", date: day(0), batch: "HOME-CD-03" });
    expect(await applied.json()).toMatchObject({ dryRun: false, accepted: 1, rejected: [] });
  });
});
