import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, queryRows, useDbHandle, type DbHandle, type DbKind } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import { txRows } from "@/db/tx";
import { createKnownIssue, updateKnownIssue } from "@/lib/known-issues/actions";
import { CRM, crmIssueInput, FIREWALL, seedKnownIssueFixture, type Fixture } from "@/test/support/fixtures/known-issues";
import { GROUP_LIMIT, search, type SearchResults } from "./search";

const QUERIES = [
  "HQ-WS-0005",
  "ws-002",
  "hq-ws-001",
  "hq-sw-0005",
  "crm",
  "sygate firewall",
  "0x80070005",
  "80070005",
  "KB835935",
  "835935",
  "rc-1",
  "toolbar missing",
  "hq-ws",
  "'; drop table devices; --",
  "foo & | ! :* <->",
];
const answers = new Map<DbKind, Map<string, SearchResults>>();

describe.each(testDbKinds)("one-box search on %s", (kind) => {
  let handle: DbHandle;
  let fx: Fixture;
  const run = async (q: string) => {
    const result = await search(fx.helpdesk, q);
    answers.get(kind)!.set(q, result);
    return result;
  };
  const groupOf = (r: SearchResults, k: string) => r.groups.find((g) => g.kind === k);

  beforeAll(async () => {
    answers.set(kind, new Map());
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await seedKnownIssueFixture(handle.db);
    await createKnownIssue(fx.editor, crmIssueInput());
    await updateKnownIssue(fx.editor, {
      knownIssue: "RC-0001",
      status: "investigating",
      resolvingKb: "KB885000",
    });
    await createKnownIssue(fx.editor, {
      title: "Sygate Personal Firewall blocks file sharing",
      update: "windows-xp-sp2",
      symptoms: "Mapped drives fail with error 0x80070005 until port 445 is opened.",
      affectedApps: [{ name: FIREWALL, versionRange: "5.5" }],
    });
  });
  afterAll(() => closeDb());

  it("puts an exact hostname first, with the top score", async () => {
    const r = await run("HQ-WS-0005");
    expect(r.groups[0].kind).toBe("device");
    expect(r.groups[0].items[0]).toMatchObject({ key: "HQ-WS-0005", score: 1, href: "/devices/HQ-WS-0005" });
  });

  it("ranks hostname prefixes before substrings, in hostname order, and bounds the group", async () => {
    const r = await run("hq-ws-001");
    const devices = groupOf(r, "device")!;
    expect(devices.items.map((i) => i.key)).toEqual(Array.from({ length: 10 }, (_, i) => `HQ-WS-00${10 + i}`));
    expect(devices.items.every((i) => i.score === 0.9)).toBe(true);
    expect(devices.more).toBe(false);
    const wide = await run("hq-ws");
    expect(groupOf(wide, "device")!.items.map((i) => i.key)).toEqual(Array.from({ length: GROUP_LIMIT }, (_, i) => `HQ-WS-${String(i + 1).padStart(4, "0")}`));
    expect(groupOf(wide, "device")!.more).toBe(true);
    const inside = groupOf(await run("ws-002"), "device")!;
    expect(inside.items.map((i) => i.key)).toEqual(["BR1-WS-0020", ...Array.from({ length: 9 }, (_, i) => `HQ-WS-002${i}`)]);
    expect(inside.more).toBe(true);
    expect(inside.items.every((i) => i.score === 0.75)).toBe(true);
  });

  it("answers a whole hostname with that machine alone, and a part of one with the names containing it", async () => {
    const [{ id }] = await queryRows<{ id: number }>(
      handle.db,
      sql`insert into devices (hostname, os_name, site_id) select 'LAB-HQ-WS-0005', os_name, site_id from devices where hostname = 'HQ-WS-0005' returning id`,
    );
    try {
      // An exact hit skips the substring step (its trigram scan costs 55–60 ms at 1M devices).
      expect(groupOf(await search(fx.helpdesk, "hq-ws-0005"), "device")!.items.map((i) => i.key)).toEqual(["HQ-WS-0005"]);
      const part = groupOf(await search(fx.helpdesk, "hq-ws-000"), "device")!.items;
      expect(part.map((i) => i.key)).toEqual([...Array.from({ length: 9 }, (_, i) => `HQ-WS-000${i + 1}`), "LAB-HQ-WS-0005"]);
      expect(part.at(-1)!.score).toBe(0.75);
    } finally {
      await handle.db.execute(sql`delete from devices where id = ${id}`);
    }
  });

  it("finds a mistyped hostname through trigram similarity", async () => {
    const r = await run("hq-sw-0005");
    const devices = groupOf(r, "device")!;
    expect(devices.items[0].key).toBe("HQ-WS-0005");
    expect(devices.items[0].score).toBeLessThan(0.75);
    expect(devices.items[0].score).toBeGreaterThan(devices.items[1].score);
    // A typo late in the name (found among the names sharing its longest prefix) and one early in it.
    expect(groupOf(await search(fx.helpdesk, "hq-ws-00055"), "device")!.items[0].key).toBe("HQ-WS-0005");
    expect(groupOf(await search(fx.helpdesk, "qh-ws-0005"), "device")!.items[0].key).toBe("HQ-WS-0005");
  });

  it("finds apps by part of the name and by similar words, with how many machines have them", async () => {
    const crm = groupOf(await run("crm"), "app")!;
    expect(crm.items[0]).toMatchObject({ key: CRM, score: 0.7 });
    const installed = fx.devices.filter((d) => d.apps[CRM]).length;
    expect(crm.items[0].subtitle).toContain(`installed on ${installed} devices`);
    const typo = groupOf(await run("sygate firewall"), "app")!;
    expect(typo.items[0].key).toBe(FIREWALL);
    expect(typo.items[0].score).toBeLessThan(0.7);
  });

  it("explains an error code and says where it occurs, first in the list", async () => {
    for (const q of ["0x80070005", "80070005"]) {
      const r = await run(q);
      expect(r.groups[0].kind).toBe("error_code");
      const item = r.groups[0].items[0];
      expect(item.title).toBe("0x80070005 · Windows XP Service Pack 2");
      expect(item.subtitle).toContain("Access is denied");
      expect(item.subtitle).toContain("3 devices report it now; 6 reports in the history.");
      expect(item.links).toHaveLength(3);
      // The issue that mentions the code in its symptoms comes along.
      expect(groupOf(r, "known_issue")!.items[0].title).toContain("Sygate");
    }
    const lower = await run("0x80070005".toLowerCase());
    expect(lower.groups[0].items[0].key).toBe("0x80070005 windows-xp-sp2");
  });

  it("finds KB numbers in updates and known issues", async () => {
    for (const q of ["KB835935", "835935"]) {
      const r = await run(q);
      expect(r.groups[0].kind).toBe("update");
      expect(r.groups[0].items[0]).toMatchObject({ key: "windows-xp-sp2", score: 1 });
      expect(groupOf(r, "known_issue")!.items.map((i) => i.key)).toEqual(["RC-0001"]);
    }
    const fix = await run("kb885000");
    expect(groupOf(fix, "known_issue")!.items[0]).toMatchObject({ key: "RC-0001", score: 0.9 });
  });

  it("opens an advisory id directly", async () => {
    const r = await run("rc-1");
    expect(r.groups[0].kind).toBe("known_issue");
    expect(r.groups[0].items[0]).toMatchObject({ key: "RC-0001", score: 1, href: "/known-issues/RC-0001" });
  });

  it("matches words of issue titles and symptoms, stemmed and by prefix", async () => {
    const r = await run("toolbar missing");
    expect(groupOf(r, "known_issue")!.items.map((i) => i.key)).toEqual(["RC-0001"]);
    const prefix = await search(fx.helpdesk, "outlo toolb");
    expect(groupOf(prefix, "known_issue")!.items.map((i) => i.key)).toEqual(["RC-0001"]);
    const fileSharing = await search(fx.helpdesk, "sharing blocked");
    expect(groupOf(fileSharing, "known_issue")!.items[0].key).toBe("RC-0002");
  });

  it("takes anything typed without error and needs two characters", async () => {
    expect((await run("'; drop table devices; --")).groups.every((g) => g.items.length <= GROUP_LIMIT)).toBe(true);
    await run("foo & | ! :* <->");
    expect((await search(fx.helpdesk, "h")).groups).toEqual([]);
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from devices`);
    expect(n).toBe(60);
    await expect(search(null, "hq")).rejects.toMatchObject({ status: 401 });
  });

  it("can answer from the hostname, trigram and full-text indexes (same expressions as the schema)", async () => {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const plan = async (query: ReturnType<typeof sql>) =>
        (await txRows<Record<string, string>>(tx, sql`explain ${query}`)).map((r) => Object.values(r)[0]).join("\n");
      expect(
        await plan(sql`select id from devices v where lower(v.hostname) collate "C" like 'hq-ws%' order by lower(v.hostname) collate "C" limit 11`),
      ).toMatch(/Index Scan (using|on) devices_hostname_c_idx[\s\S]*>= 'hq-ws'/);
      expect(await plan(sql`select id from devices v where lower(v.hostname) like '%ws-00%'`)).toContain("devices_hostname_trgm_idx");
      expect(await plan(sql`select id from devices v where lower(v.hostname) % 'hq-sw-0005'`)).toContain("devices_hostname_trgm_idx");
      expect(
        await plan(sql`select id from devices v where lower(v.hostname) collate "C" >= 'hq-s' and lower(v.hostname) collate "C" < 'hq-s\u{10FFFF}' order by lower(v.hostname) collate "C" limit 200`),
      ).toMatch(/Index Scan (using|on) devices_hostname_c_idx/);
      expect(
        await plan(sql`select id from known_issues ki where to_tsvector('english', ki.title || ' ' || ki.symptoms) @@ to_tsquery('english', 'toolbar:*')`),
      ).toContain("known_issues_fts_idx");
      expect(await plan(sql`select id from apps a where lower(a.name) like '%crm%'`)).toContain("apps_name_trgm_idx");
    });
  });
});

if (testDbKinds.length > 1) {
  describe("the same answers on PGlite and PostgreSQL", () => {
    it.each(QUERIES)("%s", (q) => {
      const pglite = answers.get("pglite")?.get(q);
      const postgres = answers.get("postgres")?.get(q);
      expect(pglite).toBeDefined();
      expect(postgres).toEqual(pglite);
    });
  });
}
