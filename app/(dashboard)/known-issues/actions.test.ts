// The known-issue forms through their server actions: a refused submit answers each message next to
// its field and every value the user typed, so the form is filled in again; nothing is written.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, queryRows, useDbHandle, type DbHandle } from "@/db/client";
import { createTestDb, testDbKinds } from "@/db/test-db";
import type { UserActor } from "@/lib/auth/actor";
import { createKnownIssue } from "@/lib/known-issues/actions";
import { CRM, crmIssueInput, seedKnownIssueFixture, type Fixture } from "@/test/support/fixtures/known-issues";
import { createIssueAction, editIssueAction, reportAction } from "./actions";

const session = vi.hoisted(() => ({ actor: null as UserActor | null }));
vi.mock("@/lib/auth/session", () => ({ requireActionActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

describe.each(testDbKinds)("known-issue forms on %s", (kind) => {
  let handle: DbHandle;
  let fx: Fixture;
  const reports = async () => (await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from helpdesk_reports`))[0].n;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    useDbHandle(handle);
    fx = await seedKnownIssueFixture(handle.db);
    await createKnownIssue(fx.editor, crmIssueInput());
  });
  afterAll(() => closeDb());

  it("a report without a ticket reference names that field once and keeps the hostname and note typed", async () => {
    session.actor = fx.helpdesk;
    const host = fx.devices.find((d) => d.apps[CRM] === "1.2")!.hostname;
    const typed = { ticketRef: "  ", hostname: host, note: "Caller: the CRM toolbar is gone" };
    const state = await reportAction("RC-0001", {}, form(typed));
    expect(state.ok).toBeUndefined();
    expect(state.fieldErrors).toEqual({ ticketRef: ["Ticket reference is required."] });
    expect(state.error).not.toMatch(/known issue/i);
    expect(state.values).toEqual(typed);
    expect(await reports()).toBe(0);
  });

  it("a report for a machine that does not exist is refused next to the hostname, with the ticket kept", async () => {
    session.actor = fx.helpdesk;
    const typed = { ticketRef: "INC-4711", hostname: "NO-SUCH-PC", note: "" };
    const state = await reportAction("RC-0001", {}, form(typed));
    expect(state).toMatchObject({ fieldErrors: { hostname: ['There is no device named "NO-SUCH-PC".'] }, values: typed });
    expect(await reports()).toBe(0);
    const host = fx.devices.find((d) => d.apps[CRM] === "1.2")!.hostname;
    expect(await reportAction("RC-0001", {}, form({ ...typed, hostname: host.toLowerCase() }))).toMatchObject({
      ok: true,
      message: `Ticket INC-4711 linked to RC-0001 for ${host}.`,
    });
    expect(await reports()).toBe(1);
  });

  it("a new issue naming an app the inventory does not know says which line, under the apps, and keeps all ten fields", async () => {
    session.actor = fx.editor;
    const typed = {
      title: "Lotus Notes loses its replica after SP2",
      update: "windows-xp-sp2",
      status: "investigating",
      severity: "high",
      originKb: "KB835935",
      affectedPlatforms: "Windows XP, Windows XP Tablet PC Edition",
      affectedApps: `${CRM} | 1.2\nLotus Notes | 6.x`,
      symptoms: "Replica **gone**",
      workaround: "Re-create the replica.",
      safeguardHold: "on",
      note: "Seen at two sites",
    };
    const state = await createIssueAction({}, form(typed));
    expect(state.fieldErrors).toEqual({ affectedApps: ['Line 2: Unknown app "Lotus Notes": it is not in the inventory.'] });
    expect(state.values).toEqual(typed);
    const [{ n }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from known_issues`);
    expect(n).toBe(1);
  });

  it("an edit with a malformed KB is refused next to that field and keeps the other changes typed", async () => {
    session.actor = fx.editor;
    const typed = { title: "CRM 1.2 toolbar missing", severity: "critical", originKb: "not a kb", affectedApps: `${CRM} | 1.2`, note: "" };
    const state = await editIssueAction("RC-0001", {}, form(typed));
    expect(state).toMatchObject({ fieldErrors: { originKb: ['"not a kb" is not a KB number (e.g. KB835935).'] }, values: typed });
    const [issue] = await queryRows<{ title: string; severity: string }>(handle.db, sql`select title, severity from known_issues where advisory_id = 'RC-0001'`);
    expect(issue).toEqual({ title: `${CRM} 1.2 does not work with SP2`, severity: "high" });
  });
});
