import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { auditEntries, devices, updates } from "@/db/schema";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { ingestStatusEvents } from "@/lib/deployments/ingest";
import { verifySummaries } from "@/lib/deployments/summaries";
import { HttpError } from "@/lib/http/problem";
import { saveRolloutPlan } from "@/lib/rollouts/plan";
import { makeCatalog, makeUser } from "@/test/support/fixtures/catalog";
import { parseApp, parseDeviceCsv, splitList } from "./csv";
import { importDevices } from "./import";
import { getDevice, listDevices } from "./queries";

describe("device CSV parsing", () => {
  it("reads tags and apps as ;-separated lists, apps as name@version", () => {
    const rows = parseDeviceCsv(
      'hostname,os,OS Version,site,department,channel,tags,apps\nHQ-1,Windows XP,SP1,HQ,Sales,network,pilot; vip,"CRM Sales for Outlook@1.2;Office@11.0.5614"\n',
    );
    expect(rows).toEqual([
      {
        line: 2,
        value: {
          hostname: "HQ-1",
          os: "Windows XP",
          osVersion: "SP1",
          site: "HQ",
          department: "Sales",
          channel: "network",
          tags: ["pilot", "vip"],
          apps: [
            { name: "CRM Sales for Outlook", version: "1.2" },
            { name: "Office", version: "11.0.5614" },
          ],
        },
      },
    ]);
  });

  it("rejects a file missing required columns, naming them", () => {
    try {
      parseDeviceCsv("hostname,osVersion\nHQ-1,SP1\n");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).message).toMatch(/missing required columns: os, site/);
    }
  });

  it("round-trips any list of tags and apps through the CSV cell format", () => {
    const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,15}[A-Za-z0-9]$/);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), fc.array(fc.record({ name: word, version: fc.stringMatching(/^[0-9]{1,3}(\.[0-9]{1,4}){0,3}$/) }), { maxLength: 5 }), (tags, apps) => {
        expect(splitList(tags.join(";"))).toEqual(tags);
        expect(splitList(apps.map((a) => `${a.name}@${a.version}`).join(";")).map(parseApp)).toEqual(apps);
      }),
    );
  });
});

describe.each(testDbKinds)("device inventory on %s", (kind) => {
  let handle: DbHandle;
  let editor: UserActor;
  let viewer: UserActor;
  let catalog: Awaited<ReturnType<typeof makeCatalog>>;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    editor = await makeUser(handle.db, "editor");
    viewer = await makeUser(handle.db, "viewer");
    catalog = await makeCatalog(handle.db);
  });
  afterAll(() => handle?.close());

  it("keeps good rows and answers per bad row: unknown site, bad channel, missing os, case-only duplicate, wrong column count", async () => {
    const csv = [
      "hostname,os,osVersion,site,department,channel,tags,apps",
      "HQ-WS-001,Windows XP,SP1,HQ,Sales,network,pilot,CRM Sales for Outlook@1.2",
      "HQ-WS-002,Windows XP,SP1,Atlantis,Sales,network,,",
      "HQ-WS-003,Windows XP,SP1,HQ,Sales,carrier-pigeon,,",
      "HQ-WS-004,,SP1,HQ,Sales,network,,",
      "hq-ws-001,Windows XP,SP2,HQ,Sales,network,,",
      "HQ-WS-005,Windows XP,SP1,HQ",
      "bad host!,Windows XP,SP1,HQ,Sales,network,,",
      "LDS-WS-001,Windows 2000,SP4,leeds,,technician,laptop;vip,",
    ].join("\n");
    const result = await importDevices(editor, { csv });
    expect(result).toMatchObject({ received: 8, accepted: 2, created: 2, updated: 0 });
    const byIndex = Object.fromEntries(result.rejected.map((r) => [r.index, r]));
    expect(byIndex[1].errors[0]).toMatchObject({ path: "site", message: expect.stringMatching(/Unknown site "Atlantis"/) });
    expect(byIndex[2].errors[0].path).toBe("channel");
    expect(byIndex[3].errors[0]).toMatchObject({ path: "os" });
    expect(byIndex[4]).toMatchObject({ line: 6, hostname: "hq-ws-001", errors: [{ path: "hostname", message: expect.stringMatching(/same device as row 1.*case-insensitive/) }] });
    expect(byIndex[5].errors.map((e) => e.message).join(" ")).toMatch(/Expected 8 columns, found 4/);
    expect(byIndex[6].errors[0].path).toBe("hostname");
    const stored = await handle.db.select().from(devices).orderBy(devices.hostname);
    expect(stored.map((d) => d.hostname)).toEqual(["HQ-WS-001", "LDS-WS-001"]);
    expect(stored[1]).toMatchObject({ channel: "technician", tags: ["laptop", "vip"], departmentId: null, siteId: catalog.site("Leeds").id });
    const detail = await getDevice(viewer, "hq-ws-001");
    expect(detail.device.apps).toEqual([{ name: "CRM Sales for Outlook", version: "1.2" }]);
    const [audit] = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, "inventory.import"));
    expect(audit.after).toMatchObject({ accepted: 2, rejected: 6, hostnames: ["HQ-WS-001", "LDS-WS-001"] });
  });

  it("upserts JSON by hostname case-insensitively, keeping fields the row leaves out", async () => {
    const result = await importDevices(editor, {
      json: [
        { hostname: "hq-ws-001", os: "Windows XP", osVersion: "SP2", site: "HQ" },
        { hostname: "HQ-WS-010", os: "Windows XP", site: "HQ", department: "IT", tags: ["pilot"], apps: [{ name: "Office", version: "11" }] },
        { hostname: 42, os: "Windows XP", site: "HQ" },
        "not an object",
      ],
    });
    expect(result).toMatchObject({ accepted: 2, created: 1, updated: 1 });
    expect(result.rejected.map((r) => r.index)).toEqual([2, 3]);
    const [updated] = await handle.db.select().from(devices).where(sql`lower(hostname) = 'hq-ws-001'`);
    expect(updated).toMatchObject({ hostname: "hq-ws-001", osVersion: "SP2", tags: ["pilot"], channel: "network" });
    expect((await getDevice(viewer, "HQ-WS-001")).device.apps).toHaveLength(1);
  });

  it("dry run answers the same without writing; a viewer cannot import", async () => {
    const dry = await importDevices(editor, { json: [{ hostname: "NEW-1", os: "Windows XP", site: "HQ" }], dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, accepted: 1, created: 1 });
    expect(await handle.db.select().from(devices).where(eq(devices.hostname, "NEW-1"))).toHaveLength(0);
    await expect(importDevices(viewer, { json: [] })).rejects.toThrow(/Not allowed/);
  });

  it("writes no audit entry for a dry run, and answers 422 for an upload that is neither CSV text nor a JSON array", async () => {
    const imports = () => handle.db.select().from(auditEntries).where(eq(auditEntries.action, "inventory.import"));
    const before = (await imports()).length;
    await importDevices(editor, { json: [{ hostname: "NEW-2", os: "Windows XP", site: "HQ" }], dryRun: true });
    expect(await imports()).toHaveLength(before);
    await expect(importDevices(editor, { json: "HQ-1,Windows XP,HQ" })).rejects.toMatchObject({ status: 422, extra: { errors: [expect.objectContaining({ message: expect.any(String) })] } });
  });

  it("lists with filters and a cursor; re-evaluates open rollouts when inventory changes", async () => {
    await saveRolloutPlan(editor, { buildId: catalog.builds[1].id, name: "SP2", waves: [{ name: "HQ", targeting: { siteIds: [catalog.site("HQ").id] } }] });
    await importDevices(editor, { json: Array.from({ length: 150 }, (_, i) => ({ hostname: `BULK-${String(i).padStart(3, "0")}`, os: "Windows XP", site: "HQ", tags: i % 2 ? ["odd"] : [] })) });
    const first = await listDevices(viewer, { q: "bulk", limit: 100 });
    expect(first.items).toHaveLength(100);
    const second = await listDevices(viewer, { q: "bulk", cursor: first.nextCursor! });
    expect(second.items).toHaveLength(50);
    expect(second.nextCursor).toBeNull();
    expect(second.items[0].hostname).toBe("BULK-100");
    expect((await listDevices(viewer, { tag: "odd" })).items).toHaveLength(75);
    const pending = await listDevices(viewer, { update: "xp-sp2", state: "pending" });
    expect(pending.items.every((d) => d.state === "pending")).toBe(true);
    expect(pending.items.length).toBe(100);
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from deployments where state = 'not_applicable'`);
    expect(n).toBe(1); // the Windows 2000 machine
    expect((await listDevices(viewer, { update: "xp-sp2", state: "not_applicable" })).items.map((d) => d.hostname)).toEqual(["LDS-WS-001"]);
  });

  it("moves a re-imported device's deployment counts to its new site and department", async () => {
    // An update no open rollout plans: re-evaluation writes none of its deployments, so only the move keeps its counts.
    await handle.db.insert(updates).values({ slug: "kb-842773", title: "Security update", vendor: "Microsoft", product: "Windows XP", kind: "security", sizeBytes: 1_000_000, applicableOsNames: ["Windows XP"] });
    const system = { kind: "system", label: "test" } as const;
    await ingestStatusEvents(system, [
      { device: "HQ-WS-010", update: "kb-842773", state: "installed", occurredAt: "2004-08-25T09:00:00Z", eventId: "move-1" },
      { device: "BULK-001", update: "kb-842773", state: "failed", occurredAt: "2004-08-25T09:00:00Z", eventId: "move-2" },
    ], { db: handle.db });
    const countsOf = (hostname: string) =>
      queryRows<{ site_id: number; department_id: number; n: number }>(
        handle.db,
        sql`select c.site_id, c.department_id, c.count as n from deployment_counts c
            join updates u on u.id = c.update_id and u.slug = 'kb-842773'
            join devices v on lower(v.hostname) = ${hostname.toLowerCase()} and c.site_id = v.site_id and c.department_id = coalesce(v.department_id, 0)
            join deployments d on d.device_id = v.id and d.update_id = u.id and d.state = c.state
            where c.count <> 0`,
      );
    expect(await countsOf("HQ-WS-010")).toEqual([{ site_id: catalog.site("HQ").id, department_id: catalog.dept("IT").id, n: 1 }]);

    const result = await importDevices(editor, {
      json: [
        { hostname: "HQ-WS-010", os: "Windows XP", site: "Leeds", department: "Finance" },
        { hostname: "BULK-001", os: "Windows XP", site: "HQ", department: "Sales" },
      ],
    });
    expect(result).toMatchObject({ accepted: 2, updated: 2 });
    expect(await verifySummaries(handle.db)).toMatchObject({ countDrift: [], adoptionDrift: [], signalDrift: [] });
    expect(await countsOf("HQ-WS-010")).toEqual([{ site_id: catalog.site("Leeds").id, department_id: catalog.dept("Finance").id, n: 1 }]);
    expect(await countsOf("BULK-001")).toEqual([{ site_id: catalog.site("HQ").id, department_id: catalog.dept("Sales").id, n: 1 }]);
  });
});
