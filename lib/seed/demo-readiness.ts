// The demo's readiness matrix for SP2 (issue #17): what IT's pilot proved on RC2 and the final build.
// CRM Sales for Outlook 1.2 looked fine on RC2 until the toolbar went (then broken, RC-0001, on RC2
// and Final); Sygate Personal Firewall 5.5 works with a workaround on Final (RC-0002); Office XP works;
// every other app stays untested. Written as the editor, each cell with its date, like the UI does.
import * as s from "@/db/schema";
import type { AppKey } from "@/db/seed/demo";
import type { Transaction } from "@/db/tx";
import type { Role } from "@/db/schema";
import type { Ago, DemoCatalog } from "./demo-setup";

type Context = {
  updateId: number;
  catalog: DemoCatalog;
  appId: Map<AppKey, number>;
  issueIds: { crm: number; firewall: number };
  userId: (role: Role) => number | null;
  editorEmail: string;
  ago: Ago;
};

export async function insertReadiness(tx: Transaction, ctx: Context): Promise<void> {
  const { catalog, appId, issueIds, ago } = ctx;
  const cell = (app: AppKey, versionRange: string, build: string, status: (typeof s.readinessStatusEnum.enumValues)[number], note: string, daysAgo: number, knownIssueId: number | null = null) => ({
    updateId: ctx.updateId,
    appId: appId.get(app)!,
    versionRange,
    buildId: catalog.buildId(build),
    status,
    note,
    knownIssueId,
    setBy: ctx.userId("editor"),
    setByLabel: ctx.editorEmail,
    setAt: ago(daysAgo),
  });
  await tx.insert(s.readinessEntries).values([
    cell("officeXp", "10.0", "RC2", "works", "Word, Excel and Outlook opened and saved on all pilot machines.", 50),
    cell("crm", "1.2", "RC2", "works", "Toolbar loads in Outlook on the first pilot machines.", 51),
    cell("crm", "1.2", "RC2", "broken", "The CRM toolbar is gone from Outlook and going offline fails; use the CRM web client.", 48, issueIds.crm),
    cell("crm", "1.2", "Final", "broken", "Still broken on the final build until the vendor update (KB885000) is installed.", 30, issueIds.crm),
    cell("officeXp", "10.0", "Final", "works", "Checked again on the final build.", 29),
    cell("sygate", "5.5", "Final", "works_with_workaround", "Networking breaks after the restart; upgrade to Sygate 5.6 build 2808 first, or uninstall it.", 8, issueIds.firewall),
  ]);
}
