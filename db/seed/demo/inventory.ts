// The inventory: sites, departments, apps, and the machines planned from them.
import type { Rng } from "../rng";
import { CRM_APP_NAME, HOUR, MINUTE } from "./scenario";

export type SiteKey = "hq" | "br1" | "br2" | "br3" | "br4" | "br5" | "home";
export type SitePlan = {
  key: SiteKey;
  name: string;
  kind: "hq" | "branch" | "home";
  linkKbps: number | null;
  distributionPoint: string | null;
  prefix: string;
  devices: number;
  win2000Share: number;
};

export const SITES: readonly SitePlan[] = [
  { key: "hq", name: "Headquarters", kind: "hq", linkKbps: 100_000, distributionPoint: "HQ-SMS-01", prefix: "HQ", devices: 900, win2000Share: 0.07 },
  { key: "br1", name: "Leeds branch", kind: "branch", linkKbps: 2048, distributionPoint: "BR1-DP-01", prefix: "BR1", devices: 200, win2000Share: 0.12 },
  { key: "br2", name: "Bristol branch", kind: "branch", linkKbps: 1024, distributionPoint: "BR2-DP-01", prefix: "BR2", devices: 170, win2000Share: 0.12 },
  { key: "br3", name: "Glasgow branch", kind: "branch", linkKbps: 1024, distributionPoint: "BR3-DP-01", prefix: "BR3", devices: 160, win2000Share: 0.12 },
  { key: "br4", name: "Cardiff branch", kind: "branch", linkKbps: 512, distributionPoint: "BR4-DP-01", prefix: "BR4", devices: 130, win2000Share: 0.12 },
  { key: "br5", name: "Norwich branch", kind: "branch", linkKbps: 512, distributionPoint: "BR5-DP-01", prefix: "BR5", devices: 110, win2000Share: 0.12 },
  { key: "home", name: "Home workers", kind: "home", linkKbps: null, distributionPoint: null, prefix: "HOME", devices: 330, win2000Share: 0.04 },
];

export const DEPARTMENTS = ["IT", "Finance", "Sales", "HR", "Engineering", "Operations", "Customer Service", "Legal", "Marketing"] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const DEPARTMENT_WEIGHTS: Record<SitePlan["kind"], [Department, number][]> = {
  hq: [["Finance", 14], ["Sales", 12], ["HR", 6], ["Engineering", 22], ["Operations", 12], ["Customer Service", 10], ["Legal", 4], ["Marketing", 8], ["IT", 4]],
  branch: [["Sales", 35], ["Operations", 25], ["Customer Service", 25], ["Finance", 5], ["Engineering", 7], ["IT", 3]],
  home: [["Sales", 45], ["Engineering", 30], ["Customer Service", 10], ["Marketing", 10], ["IT", 5]],
};

export type AppKey = "office2003" | "officeXp" | "crm" | "sygate" | "symantec" | "reader" | "iaa" | "sapgui" | "autocad" | "winzip";
export const APPS: Record<AppKey, { name: string; vendor: string }> = {
  office2003: { name: "Microsoft Office 2003", vendor: "Microsoft" },
  officeXp: { name: "Microsoft Office XP", vendor: "Microsoft" },
  crm: { name: CRM_APP_NAME, vendor: "Microsoft" },
  sygate: { name: "Sygate Personal Firewall", vendor: "Sygate Technologies" },
  symantec: { name: "Symantec AntiVirus Corporate Edition", vendor: "Symantec" },
  reader: { name: "Adobe Reader", vendor: "Adobe" },
  iaa: { name: "Intel Application Accelerator", vendor: "Intel" },
  sapgui: { name: "SAP GUI for Windows", vendor: "SAP" },
  autocad: { name: "AutoCAD 2004", vendor: "Autodesk" },
  winzip: { name: "WinZip", vendor: "WinZip Computing" },
};

export const PILOT_SIZE = 40;
/** Pilot machines (1-based HQ numbers) that carry the apps the known issues are about. */
export const PILOT_WITH_CRM = [5, 12, 27];
export const PILOT_WITH_IAA = [8, 33];

export type DevicePlan = {
  hostname: string;
  site: SitePlan;
  department: Department;
  osName: "Windows XP" | "Windows 2000";
  osVersion: string;
  channel: "network" | "offline_media" | "technician";
  tags: string[];
  apps: Partial<Record<AppKey, string>>;
  laptop: boolean;
  lastSeenAt?: Date;
  lastReportedAt?: Date;
};

/** Every machine of every site, with its department, OS, channel, tags and apps. */
export function planDevices(rng: Rng, now: Date): DevicePlan[] {
  const out: DevicePlan[] = [];
  for (const site of SITES) {
    const counters = { WS: 0, LT: 0 };
    for (let i = 0; i < site.devices; i++) {
      const pilot = site.kind === "hq" && i < PILOT_SIZE;
      const laptop = site.kind === "home" || (!pilot && rng.chance(site.kind === "hq" ? 0.12 : 0.1));
      const kind = laptop ? "LT" : "WS";
      const hostname = `${site.prefix}-${kind}-${String(++counters[kind]).padStart(4, "0")}`;
      const department: Department = pilot ? "IT" : rng.weighted(DEPARTMENT_WEIGHTS[site.kind]);
      const win2000 = !pilot && rng.chance(site.win2000Share);
      const channel = site.kind === "home" ? (rng.chance(0.8) ? "offline_media" : "technician") : "network";

      const tags: string[] = [];
      if (pilot) tags.push("pilot");
      if (laptop) tags.push("laptop");
      if (site.kind === "hq" && (department === "Legal" || department === "Finance") && rng.chance(0.1)) tags.push("vip");
      if (site.kind === "branch" && department === "Customer Service" && rng.chance(0.08)) tags.push("kiosk");
      if (department === "Finance") tags.push("finance");

      const apps: DevicePlan["apps"] = {};
      if (rng.chance(0.86)) apps.office2003 = "11.0.5614.0";
      else apps.officeXp = "10.0.6626.0";
      const crmShare = department === "Sales" ? 0.2 : department === "IT" ? 0.05 : 0.01;
      if (pilot ? PILOT_WITH_CRM.includes(i + 1) : rng.chance(crmShare)) apps.crm = "1.2";
      const sygateShare = site.kind === "home" ? 0.45 : laptop ? 0.2 : 0.03;
      if (!pilot && rng.chance(sygateShare)) apps.sygate = "5.5";
      if (!apps.sygate && rng.chance(0.95)) apps.symantec = "9.0.0.338";
      if (rng.chance(0.7)) apps.reader = rng.pick(["6.0.1", "6.0.2"]);
      if (pilot ? PILOT_WITH_IAA.includes(i + 1) : !laptop && rng.chance(0.04)) apps.iaa = "2.3";
      if (department === "Finance" && rng.chance(0.9)) apps.sapgui = "6.20";
      if (department === "Engineering" && rng.chance(0.6)) apps.autocad = "16.0";
      if (rng.chance(0.4)) apps.winzip = "9.0";

      const seenHoursAgo = site.kind === "home" ? rng.int(1, 24 * 9) : rng.int(0, 60);
      out.push({
        hostname,
        site,
        department,
        osName: win2000 ? "Windows 2000" : "Windows XP",
        osVersion: win2000 ? "5.0 SP4" : "5.1 SP1",
        channel,
        tags,
        apps,
        laptop,
        lastSeenAt: new Date(now.getTime() - seenHoursAgo * HOUR - rng.int(0, 59) * MINUTE),
      });
    }
  }
  return out;
}
