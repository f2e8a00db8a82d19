// The demo's three known issues (RC-0001…3) with their apps, fix links, history and helpdesk reports.
import type { Role } from "@/db/schema";
import * as s from "@/db/schema";
import { APPS, CRM_APP_NAME, DAY, DEMO_EMAIL_DOMAIN, HOUR, PILOT_WITH_CRM, PILOT_WITH_IAA, type AppKey, type DevicePlan, type IssueKey } from "@/db/seed/demo";
import type { Transaction } from "@/db/tx";

type Context = {
  now: Date;
  updateId: number;
  buildId: (name: string) => number;
  appId: Map<AppKey, number>;
  userId: (role: Role) => number | null;
  deviceId: Map<string, number>;
  devicePlans: DevicePlan[];
};
type Ago = (days: number, hours?: number) => Date;
type Ids = Record<IssueKey, number>;

export async function insertKnownIssues(tx: Transaction, ctx: Context): Promise<Ids> {
  const T = ctx.now.getTime();
  const ago: Ago = (days, hours = 0) => new Date(T - days * DAY - hours * HOUR);
  const ids = await insertIssues(tx, ctx, ago);
  await insertAffectedAppsAndFixes(tx, ctx, ago, ids);
  await insertHistory(tx, ctx, ago, ids);
  await insertHelpdeskReports(tx, ctx, ago, ids);
  return ids;
}

const editorOf = (ctx: Context) => ({ actorUserId: ctx.userId("editor"), actorLabel: `editor@${DEMO_EMAIL_DOMAIN}` });
const helpdeskOf = (ctx: Context) => ({ actorUserId: ctx.userId("helpdesk"), actorLabel: `helpdesk@${DEMO_EMAIL_DOMAIN}` });

/** RC-0001 (CRM add-in, resolved by the vendor), RC-0002 (firewall, mitigated), RC-0003 (RC2 blue screens, held). */
async function insertIssues(tx: Transaction, ctx: Context, ago: Ago): Promise<Ids> {
  const [crm, firewall, rc2] = await tx
    .insert(s.knownIssues)
    .values([
      {
        advisoryId: "RC-0001",
        title: `${CRM_APP_NAME} 1.2 does not work with SP2`,
        updateId: ctx.updateId,
        buildId: ctx.buildId("RC2"),
        originKb: "KB835935",
        resolvingKb: "KB885000",
        status: "resolved_external",
        severity: "high",
        affectedPlatforms: ["Windows XP SP2"],
        symptoms:
          "After Windows XP SP2 is installed, **CRM Sales for Outlook 1.2** no longer loads in Outlook:\n\n" +
          "- the *CRM* toolbar and menu are missing;\n- going offline fails with *\"The CRM server cannot be reached\"*;\n" +
          "- Outlook may show the add-in as disabled.",
        workaround: "Before SP2 is offered to a machine with the add-in, apply the vendor update below. Until then, users can work in the CRM web client.",
        resolution:
          "Microsoft published an update for **Microsoft Business Solutions CRM 1.2 Sales for Outlook** that supports Windows XP SP2 " +
          "(see the fix link). Deploy it first; the safeguard hold SH-2004-06 is lifted.",
        safeguardHold: false,
        safeguardHoldId: "SH-2004-06",
        createdAt: ago(49),
        updatedAt: ago(18),
        resolvedAt: ago(18),
      },
      {
        advisoryId: "RC-0002",
        title: "Some third-party firewall software breaks networking after SP2",
        updateId: ctx.updateId,
        buildId: ctx.buildId("Final"),
        originKb: "KB835935",
        status: "mitigated",
        severity: "medium",
        affectedPlatforms: ["Windows XP SP2"],
        symptoms:
          "On machines running **Sygate Personal Firewall 5.5**, the network does not come up after the SP2 restart; " +
          "setup rolls the machine back (`0x800F0922`, alert *rollback_initiated*).",
        workaround:
          "1. Upgrade Sygate Personal Firewall to **5.6 build 2808** (see the fix link) *before* SP2, or\n" +
          "2. uninstall it and rely on the Windows Firewall that SP2 turns on.\n\nThen retry the installation.",
        createdAt: ago(11),
        updatedAt: ago(8),
      },
      {
        advisoryId: "RC-0003",
        title: "RC2 testers report serious disruption on some workstations",
        updateId: ctx.updateId,
        buildId: ctx.buildId("RC2"),
        originKb: "KB835935",
        status: "investigating",
        severity: "critical",
        affectedPlatforms: ["Windows XP SP1"],
        symptoms:
          "Two IT pilot workstations stopped with **STOP 0x0000007E** at the first restart after RC2, and setup rolled them back. " +
          "Both have **Intel Application Accelerator 2.3** installed.",
        workaround: "None yet. Machines with Intel Application Accelerator 2.3 are held (safeguard hold **SH-2004-07**) and are not offered SP2.",
        safeguardHold: true,
        safeguardHoldId: "SH-2004-07",
        createdAt: ago(50),
        updatedAt: ago(43),
      },
    ])
    .returning({ id: s.knownIssues.id });
  return { crm: crm.id, firewall: firewall.id, rc2: rc2.id };
}

/** The apps each issue is about and the vendors' fixes. */
async function insertAffectedAppsAndFixes(tx: Transaction, ctx: Context, ago: Ago, ids: Ids): Promise<void> {
  await tx.insert(s.knownIssueApps).values([
    { knownIssueId: ids.crm, appId: ctx.appId.get("crm")!, appName: CRM_APP_NAME, versionRange: "1.2" },
    { knownIssueId: ids.firewall, appId: ctx.appId.get("sygate")!, appName: APPS.sygate.name, versionRange: "5.5" },
    { knownIssueId: ids.rc2, appId: ctx.appId.get("iaa")!, appName: APPS.iaa.name, versionRange: "2.3" },
  ]);

  await tx.insert(s.knownIssueFixLinks).values([
    {
      knownIssueId: ids.crm,
      vendor: "Microsoft",
      title: "Update for Microsoft Business Solutions CRM 1.2 Sales for Outlook on Windows XP SP2 (KB885000)",
      url: "https://support.microsoft.com/kb/885000",
      type: "patch",
      publishedAt: ago(19),
    },
    {
      knownIssueId: ids.firewall,
      vendor: "Sygate Technologies",
      title: "Sygate Personal Firewall 5.6 build 2808 (Windows XP SP2 support)",
      url: "https://www.sygate.com/products/spf_5.6_build2808.htm",
      type: "download",
      publishedAt: ago(9),
    },
  ]);
}

/** How each issue moved from reported to where it stands, and when its safeguard hold was placed or lifted. */
async function insertHistory(tx: Transaction, ctx: Context, ago: Ago, ids: Ids): Promise<void> {
  const editor = editorOf(ctx);
  const helpdesk = helpdeskOf(ctx);
  const status = (from: string | null, to: string) => ({ field: "status", fromValue: from, toValue: to });
  const hold = (from: boolean, to: boolean) => ({ field: "safeguardHold", fromValue: String(from), toValue: String(to) });
  await tx.insert(s.knownIssueHistory).values([
    { knownIssueId: ids.crm, at: ago(49), ...helpdesk, ...status(null, "reported"), note: "Three IT pilot machines lost the CRM toolbar in Outlook after RC2." },
    { knownIssueId: ids.crm, at: ago(47), ...editor, ...status("reported", "investigating"), note: "Reproduced on HQ-WS-0005 with CRM Sales for Outlook 1.2." },
    { knownIssueId: ids.crm, at: ago(45), ...editor, ...status("investigating", "confirmed"), note: "Confirmed by Microsoft Business Solutions support: 1.2 is not compatible with SP2." },
    { knownIssueId: ids.crm, at: ago(45), ...editor, ...hold(false, true), note: "Safeguard hold SH-2004-06 on machines with the add-in." },
    { knownIssueId: ids.crm, at: ago(18), ...editor, ...status("confirmed", "resolved_external"), note: "Microsoft published a fix (KB885000); deploy it before SP2." },
    { knownIssueId: ids.crm, at: ago(18), ...editor, ...hold(true, false), note: "Hold lifted: the vendor fix exists. Impact analysis still flags machines that lack it." },
    { knownIssueId: ids.firewall, at: ago(11), ...helpdesk, ...status(null, "reported"), note: "Two HQ machines rolled back SP2; both run Sygate Personal Firewall 5.5." },
    { knownIssueId: ids.firewall, at: ago(10), ...editor, ...status("reported", "investigating"), note: "Reproduced in the lab; Windows Firewall and Sygate both bind to the network stack." },
    { knownIssueId: ids.firewall, at: ago(8), ...editor, ...status("investigating", "mitigated"), note: "Workaround: upgrade to Sygate 5.6 build 2808 first, or uninstall it." },
    { knownIssueId: ids.rc2, at: ago(50), ...helpdesk, ...status(null, "reported"), note: "Pilot machines blue-screened (STOP 0x7E) after the RC2 restart." },
    { knownIssueId: ids.rc2, at: ago(43), ...editor, ...status("reported", "investigating"), note: "Both have Intel Application Accelerator 2.3; Intel is looking at it." },
    { knownIssueId: ids.rc2, at: ago(43), ...editor, ...hold(false, true), note: "Safeguard hold SH-2004-07 on machines with Intel Application Accelerator 2.3." },
  ]);
}

/** The helpdesk tickets that first reported the issues, against the machines they came from. */
async function insertHelpdeskReports(tx: Transaction, ctx: Context, ago: Ago, ids: Ids): Promise<void> {
  const helpdesk = helpdeskOf(ctx);
  const pilotHost = (n: number) => `HQ-WS-${String(n).padStart(4, "0")}`;
  // The first HQ machine that rolled back because of the firewall (see planHqDeployment).
  const rolledBackHq = ctx.devicePlans.find((d) => d.site.kind === "hq" && !d.tags.includes("pilot") && d.apps.sygate && !d.apps.iaa && d.osName === "Windows XP");
  const report = (issue: number, hostname: string, ticketRef: string, note: string, at: Date) => ({
    knownIssueId: issue,
    deviceId: ctx.deviceId.get(hostname) ?? null,
    ticketRef,
    note,
    reportedBy: helpdesk.actorUserId,
    createdAt: at,
  });
  await tx.insert(s.helpdeskReports).values([
    report(ids.rc2, pilotHost(PILOT_WITH_IAA[0]), "HD-10388", "Blue screen at the restart after RC2; machine came back on SP1.", ago(50, 3)),
    report(ids.rc2, pilotHost(PILOT_WITH_IAA[1]), "HD-10391", "Same blue screen (STOP 0x7E) on a second pilot workstation.", ago(50, 1)),
    report(ids.crm, pilotHost(PILOT_WITH_CRM[0]), "HD-10412", "CRM toolbar gone from Outlook since RC2.", ago(49, 2)),
    report(ids.crm, pilotHost(PILOT_WITH_CRM[1]), "HD-10419", "Cannot go offline in CRM Sales for Outlook after RC2.", ago(48)),
    ...(rolledBackHq ? [report(ids.firewall, rolledBackHq.hostname, "HD-11020", "No network after the SP2 restart; setup rolled back. Sygate 5.5 installed.", ago(11, 4))] : []),
  ]);
}
