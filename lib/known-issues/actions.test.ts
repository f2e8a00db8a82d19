import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { Actor } from "@/lib/auth/actor";
import { HttpError } from "@/lib/http/problem";
import { addHelpdeskReport, createKnownIssue, updateKnownIssue } from "./actions";
import { getKnownIssue, knownIssuesForDevice, knownIssuesForHostname, listKnownIssues } from "./queries";
import { CRM, crmIssueInput, FIREWALL, seedKnownIssueFixture, type Fixture } from "@/test/support/fixtures/known-issues";

async function refused(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe.each(testDbKinds)("known-issue writes on %s", (kind) => {
  let handle: DbHandle;
  let fx: Fixture;
  const count = async (table: string) =>
    (await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0].n;
  const snapshot = async () => ({
    issues: await count("known_issues"),
    history: await count("known_issue_history"),
    audit: await count("audit_entries"),
    apps: await count("known_issue_apps"),
    links: await count("known_issue_fix_links"),
  });

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await seedKnownIssueFixture(handle.db);
  });
  afterAll(() => closeDb());

  it("creates RC-0001 with its apps, a history row and an audit entry in one go", async () => {
    const created = await createKnownIssue(fx.editor, crmIssueInput());
    expect(created.advisoryId).toBe("RC-0001");
    const issue = await getKnownIssue(fx.viewer, "rc-0001");
    expect(issue).toMatchObject({
      advisoryId: "RC-0001",
      status: "reported",
      severity: "high",
      originKb: "KB835935",
      affectedApps: [{ name: CRM, versionRange: "1.2", known: true }],
      update: { slug: "windows-xp-sp2" },
    });
    expect(issue!.history.map((h) => [h.field, h.to, h.actor])).toContainEqual(["created", "reported", "editor@test.local"]);
    const audit = await queryRows<{ action: string; target_id: string; actor_label: string }>(
      handle.db,
      sql`select action, target_id, actor_label from audit_entries where target_type = 'known_issue'`,
    );
    expect(audit).toContainEqual({ action: "known_issue.create", target_id: "RC-0001", actor_label: "editor@test.local" });
  });

  it("refuses bad input with a clear message per field and saves nothing", async () => {
    const before = await snapshot();
    const unknownApp = await refused(createKnownIssue(fx.editor, crmIssueInput({ affectedApps: [{ name: "Lotus Notes", versionRange: "*" }] })));
    expect(unknownApp.status).toBe(422);
    expect(unknownApp.extra.errors).toEqual([{ path: "affectedApps.0.name", message: expect.stringContaining("Unknown app") }]);

    const jsLink = await refused(
      createKnownIssue(fx.editor, crmIssueInput({ fixLinks: [{ vendor: "x", title: "x", url: "javascript:alert(1)", type: "patch" }] })),
    );
    expect(jsLink.status).toBe(422);
    expect(JSON.stringify(jsLink.extra.errors)).toContain("fixLinks.0.url");

    const badRange = await refused(createKnownIssue(fx.editor, crmIssueInput({ affectedApps: [{ name: CRM, versionRange: "latest" }] })));
    expect(JSON.stringify(badRange.extra.errors)).toContain("affectedApps.0.versionRange");

    const unknownUpdate = await refused(createKnownIssue(fx.editor, crmIssueInput({ update: "windows-95" })));
    expect(unknownUpdate.extra.errors).toEqual([{ path: "update", message: 'Unknown update "windows-95".' }]);

    const resolvedWithoutNote = await refused(createKnownIssue(fx.editor, crmIssueInput({ status: "resolved" })));
    expect(resolvedWithoutNote.extra.errors).toEqual([{ path: "note", message: expect.stringMatching(/note is required/) }]);

    expect(await snapshot()).toEqual(before);
  });

  it("only lets editors (or manage tokens) write", async () => {
    expect((await refused(createKnownIssue(fx.viewer, crmIssueInput()))).status).toBe(403);
    expect((await refused(createKnownIssue(fx.helpdesk, crmIssueInput()))).status).toBe(403);
    expect((await refused(createKnownIssue(null, crmIssueInput()))).status).toBe(401);
    const readToken: Actor = { kind: "token", tokenId: 1, name: "reader", scopes: ["read"], ownerId: null };
    expect((await refused(updateKnownIssue(readToken, { knownIssue: "RC-0001", severity: "low" }))).status).toBe(403);
  });

  it("moves through allowed transitions, each with a history row (actor, from → to, note) and an audit entry", async () => {
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", status: "investigating", note: "Reproduced on two pilot machines" });
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", status: "confirmed" });
    const issue = await getKnownIssue(fx.viewer, "RC-0001");
    expect(issue!.status).toBe("confirmed");
    const statusRows = issue!.history.filter((h) => h.field === "status").map((h) => [h.from, h.to, h.note, h.actor]);
    expect(statusRows).toEqual([
      ["investigating", "confirmed", "", "editor@test.local"],
      ["reported", "investigating", "Reproduced on two pilot machines", "editor@test.local"],
    ]);
    const [{ n }] = await queryRows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from audit_entries where action = 'known_issue.update' and target_id = 'RC-0001'`,
    );
    expect(n).toBe(2);
  });

  it("refuses a transition outside the table and a resolve without a note; nothing changes", async () => {
    const before = await snapshot();
    const back = await refused(updateKnownIssue(fx.editor, { knownIssue: "RC-0001", status: "reported", note: "oops" }));
    expect(back.status).toBe(422);
    expect(back.message).toMatch(/cannot become reported/);
    const noNote = await refused(updateKnownIssue(fx.editor, { knownIssue: "RC-0001", status: "resolved", workaround: "changed too" }));
    expect(noNote.extra.errors).toEqual([{ path: "note", message: expect.stringMatching(/note is required/) }]);
    const noFix = await refused(updateKnownIssue(fx.editor, { knownIssue: "RC-0001", status: "resolved_external", note: "vendor fixed it" }));
    expect(noFix.extra.errors).toEqual([{ path: "fixLinks", message: expect.stringMatching(/fix link/) }]);
    const issue = await getKnownIssue(fx.viewer, "RC-0001");
    expect(issue!.status).toBe("confirmed");
    expect(issue!.workaround).toBe("Use the CRM web client until the vendor update is applied.");
    expect(await snapshot()).toEqual(before);
    expect((await refused(updateKnownIssue(fx.editor, { knownIssue: "RC-9999", severity: "low" }))).status).toBe(404);
  });

  it("records every change of workaround, resolution and fix links in the history", async () => {
    const result = await updateKnownIssue(fx.editor, {
      knownIssue: "RC-0001",
      workaround: "Install the vendor update first.",
      fixLinks: [{ vendor: "Microsoft", title: "CRM 1.2 update for XP SP2", url: "https://support.example.com/kb/885000", type: "kb", publishedAt: "2004-09-01" }],
      note: "Vendor update is out",
    });
    expect(result.changed.sort()).toEqual(["fix_link", "workaround"]);
    const issue = await getKnownIssue(fx.viewer, "RC-0001");
    expect(issue!.fixLinks).toMatchObject([{ vendor: "Microsoft", url: "https://support.example.com/kb/885000", type: "kb" }]);
    const fields = issue!.history.map((h) => h.field);
    expect(fields).toContain("workaround");
    expect(fields).toContain("fix_link");
    // The same list again is no change at all.
    const again = await updateKnownIssue(fx.editor, {
      knownIssue: "RC-0001",
      fixLinks: [{ vendor: "Microsoft", title: "CRM 1.2 update for XP SP2", url: "https://support.example.com/kb/885000", type: "kb", publishedAt: "2004-09-01" }],
    });
    expect(again.changed).toEqual([]);
  });

  it("holds exactly the planned devices with an affected app version, and releases them when lifted", async () => {
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", safeguardHold: true, note: "Hold CRM machines" });
    const expected = fx.devices
      .filter((d) => d.osName === "Windows XP" && fx.waveOf.get(d.id) && (d.apps[CRM] === "1.2" || d.apps[CRM]?.startsWith("1.2.")))
      .map((d) => d.hostname)
      .sort();
    expect(expected.length).toBeGreaterThan(3);
    const held = await queryRows<{ hostname: string }>(
      handle.db,
      sql`select v.hostname from deployments d join devices v on v.id = d.device_id
          where d.state = 'held' and d.held_by_issue_id = (select id from known_issues where advisory_id = 'RC-0001') order by v.hostname`,
    );
    expect(held.map((h) => h.hostname)).toEqual(expected);
    const issue = await getKnownIssue(fx.viewer, "RC-0001");
    expect(issue!.safeguardHold).toBe(true);
    expect(issue!.safeguardHoldId).toBe("SH-RC-0001");
    expect(issue!.heldDevices).toBe(expected.length);
    expect(issue!.history.find((h) => h.field === "safeguard_hold")).toMatchObject({ from: "off", to: "on", note: "Hold CRM machines" });
    // The dashboard counts stay equal to a GROUP BY over the deployments.
    const [counts] = await queryRows<{ stored: number; actual: number }>(
      handle.db,
      sql`select (select coalesce(sum(count), 0)::int from deployment_counts where state = 'held') as stored,
                 (select count(*)::int from deployments where state = 'held') as actual`,
    );
    expect(counts.stored).toBe(counts.actual);

    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", safeguardHold: false, note: "Lifted for the test" });
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from deployments where state = 'held'`);
    expect(n).toBe(0);
  });

  it("refuses a hold without affected apps", async () => {
    const created = await createKnownIssue(fx.editor, { title: "Setup hangs at 34 minutes remaining", update: "windows-xp-sp2", status: "investigating" });
    const error = await refused(updateKnownIssue(fx.editor, { knownIssue: created.advisoryId, safeguardHold: true }));
    expect(error.extra.errors).toEqual([{ path: "safeguardHold", message: expect.stringMatching(/at least one affected app/) }]);
  });

  it("resolving externally lifts the hold and sets the resolved time", async () => {
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", safeguardHold: true });
    await updateKnownIssue(fx.editor, { knownIssue: "RC-0001", status: "resolved_external", note: "Vendor fix KB885000", resolvingKb: "885000" });
    const issue = await getKnownIssue(fx.viewer, "RC-0001");
    expect(issue).toMatchObject({ status: "resolved_external", safeguardHold: false, resolvingKb: "KB885000", heldDevices: 0 });
    expect(issue!.resolvedAt).toBeInstanceOf(Date);
    const latest = issue!.history.filter((h) => h.at.getTime() === issue!.history[0].at.getTime());
    expect(latest.map((h) => h.field).sort()).toEqual(["resolving_kb", "safeguard_hold", "status"]);
    expect(latest.find((h) => h.field === "status")).toMatchObject({ from: "confirmed", to: "resolved_external", note: "Vendor fix KB885000" });
    expect(issue!.history.some((h) => h.field === "safeguard_hold" && h.to === "off")).toBe(true);
  });

  it("allocates distinct advisory ids when editors create issues at the same time", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createKnownIssue(fx.editor, { title: `Parallel issue ${i}`, update: "windows-xp-sp2" })),
    );
    const ids = results.map((r) => r.advisoryId);
    expect(new Set(ids).size).toBe(6);
    const all = await queryRows<{ advisory_id: string }>(handle.db, sql`select advisory_id from known_issues order by advisory_id`);
    expect(all.map((r) => r.advisory_id)).toEqual(["RC-0001", "RC-0002", "RC-0003", "RC-0004", "RC-0005", "RC-0006", "RC-0007", "RC-0008"]);
  });

  it("lets helpdesk link a ticket and a caller's machine; the issue shows count and list", async () => {
    const host = fx.devices.find((d) => d.apps[CRM] === "1.2" && d.osName === "Windows XP")!.hostname;
    const report = await addHelpdeskReport(fx.helpdesk, { knownIssue: "RC-0001", ticketRef: "INC-4711", hostname: host.toLowerCase(), note: "CRM toolbar gone after reboot" });
    expect(report).toMatchObject({ advisoryId: "RC-0001", hostname: host, ticketRef: "INC-4711" });
    const issue = await getKnownIssue(fx.viewer, "RC-0001");
    expect(issue!.reports.total).toBe(1);
    expect(issue!.reports.items[0]).toMatchObject({ ticketRef: "INC-4711", hostname: host, note: "CRM toolbar gone after reboot", reportedBy: "helpdesk" });
    expect((await refused(addHelpdeskReport(fx.viewer, { knownIssue: "RC-0001", ticketRef: "INC-1", hostname: host }))).status).toBe(403);
    const unknown = await refused(addHelpdeskReport(fx.helpdesk, { knownIssue: "RC-0001", ticketRef: "INC-2", hostname: "NO-SUCH-PC" }));
    expect(unknown.extra.errors).toEqual([{ path: "hostname", message: 'There is no device named "NO-SUCH-PC".' }]);
    const list = await listKnownIssues(fx.viewer, { view: "all" });
    expect(list.items.find((i) => i.advisoryId === "RC-0001")!.reportCount).toBe(1);
  });

  it("tells the device page which known issues affect a machine, by its apps and versions", async () => {
    await createKnownIssue(fx.editor, {
      title: "Sygate 5.5 blocks file sharing after SP2",
      update: "windows-xp-sp2",
      status: "mitigated",
      workaround: "Open TCP 445 in the firewall.",
      affectedApps: [{ name: FIREWALL, versionRange: ">=5.5 <5.6" }],
    });
    const crm12 = fx.devices.find((d) => d.apps[CRM] === "1.2" && d.osName === "Windows XP" && !d.apps[FIREWALL])!;
    const issues = await knownIssuesForDevice(fx.helpdesk, crm12.id);
    expect(issues.map((i) => i.advisoryId)).toEqual(["RC-0001"]);
    expect(issues[0]).toMatchObject({
      status: "resolved_external",
      matchedApps: [{ name: CRM, version: "1.2", versionRange: "1.2" }],
      fixLinks: [{ url: "https://support.example.com/kb/885000" }],
    });
    const build = fx.devices.find((d) => d.apps[CRM] === "1.2.4410" && d.osName === "Windows XP")!;
    expect((await knownIssuesForDevice(fx.helpdesk, build.id)).map((i) => i.advisoryId)).toContain("RC-0001");
    const crm13 = fx.devices.find((d) => d.apps[CRM] === "1.3")!;
    expect((await knownIssuesForDevice(fx.helpdesk, crm13.id)).map((i) => i.advisoryId)).not.toContain("RC-0001");
    // Windows 2000: SP2 does not apply, so its issues do not affect the machine.
    const win2k = fx.devices.find((d) => d.osName === "Windows 2000" && d.apps[CRM] === "1.2")!;
    expect(await knownIssuesForDevice(fx.helpdesk, win2k.id)).toEqual([]);
    const sygate = fx.devices.find((d) => d.apps[FIREWALL] === "5.5.2710" && d.osName === "Windows XP")!;
    const both = await knownIssuesForHostname(fx.viewer, sygate.hostname.toLowerCase());
    expect(both!.some((i) => i.title.startsWith("Sygate"))).toBe(true);
    expect(await knownIssuesForHostname(fx.viewer, "nope")).toBeNull();
  });

  it("lists current issues by default and filters by status, severity, update and app", async () => {
    const current = await listKnownIssues(fx.viewer, {});
    expect(current.items.length).toBe(current.total);
    expect(current.items.map((i) => i.advisoryId)).toContain("RC-0001");
    const mitigated = await listKnownIssues(fx.viewer, { status: "mitigated" });
    expect(mitigated.items.map((i) => i.title)).toEqual(["Sygate 5.5 blocks file sharing after SP2"]);
    const byApp = await listKnownIssues(fx.viewer, { app: "sygate", view: "all" });
    expect(byApp.total).toBe(1);
    const high = await listKnownIssues(fx.viewer, { severity: "high,critical", update: "windows-xp-sp2" });
    expect(high.items.map((i) => i.advisoryId)).toEqual(["RC-0001"]);
    const paged = await listKnownIssues(fx.viewer, { view: "all", pageSize: 3, page: 2 });
    expect(paged.items.length).toBe(3);
    expect(paged.hasMore).toBe(true);
    // Resolved long ago: only in the history view.
    await handle.db.execute(sql`update known_issues set resolved_at = now() - interval '45 days' where advisory_id = 'RC-0001'`);
    expect((await listKnownIssues(fx.viewer, {})).items.map((i) => i.advisoryId)).not.toContain("RC-0001");
    expect((await listKnownIssues(fx.viewer, { view: "history" })).items.map((i) => i.advisoryId)).toEqual(["RC-0001"]);
    expect((await refused(listKnownIssues(fx.viewer, { status: "bogus" }))).status).toBe(400);
  });
});
