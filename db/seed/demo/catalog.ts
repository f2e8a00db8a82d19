// The catalog: SP2 with its builds and release-date slips, and three smaller updates.
import type * as s from "../../schema";
import { MB, SP2_SLUG } from "./scenario";

export type UpdateKey = "sp2" | "office" | "ie" | "nic";

export const UPDATES: Record<UpdateKey, Omit<s.NewUpdate, "id">> = {
  sp2: {
    slug: SP2_SLUG,
    title: "Windows XP Service Pack 2",
    vendor: "Microsoft",
    product: "Windows XP",
    kind: "service_pack",
    kb: "KB835935",
    sizeBytes: 272 * MB,
    description:
      "Windows XP Service Pack 2 is a security-focused release, treated as an operating-system upgrade: " +
      "Windows Firewall on by default, Data Execution Prevention, a pop-up blocker and download warnings " +
      "in Internet Explorer, the Security Center, and Automatic Updates turned on. The network install " +
      "package is about 272 MB, so it is never offered to everyone at once.",
    vendorStatus: "Released to manufacturing (RTM); available through Windows Update and as a network install package.",
    plannedReleaseDate: "2004-08-06",
    applicableOsNames: ["Windows XP"],
  },
  office: {
    slug: "office-2003-sp1",
    title: "Microsoft Office 2003 Service Pack 1",
    vendor: "Microsoft",
    product: "Microsoft Office 2003",
    kind: "service_pack",
    kb: "KB842532",
    sizeBytes: 61 * MB,
    description: "Stability and security fixes for Office 2003, including the Outlook junk e-mail filter updates.",
    vendorStatus: "Released",
    plannedReleaseDate: "2004-07-27",
  },
  ie: {
    slug: "ms04-025-ie-cumulative",
    title: "Cumulative Security Update for Internet Explorer (MS04-025)",
    vendor: "Microsoft",
    product: "Internet Explorer 6",
    kind: "security",
    kb: "KB867801",
    sizeBytes: 3 * MB,
    description: "Fixes three remote code execution vulnerabilities in Internet Explorer 6 (navigation method cross-domain, image rendering, double-byte characters).",
    vendorStatus: "Released (critical)",
    plannedReleaseDate: "2004-07-30",
    applicableOsNames: ["Windows XP", "Windows 2000"],
  },
  nic: {
    slug: "intel-pro100-driver-7-1",
    title: "Intel PRO/100 VE network driver 7.1",
    vendor: "Intel",
    product: "Intel PRO/100 VE",
    kind: "driver",
    kb: null,
    sizeBytes: 5 * MB,
    description: "Network adapter driver for the HQ desktops' on-board Intel PRO/100 VE; fixes link drops after standby.",
    vendorStatus: "Released",
    plannedReleaseDate: "2004-06-15",
  },
};

export const SP2_BUILDS = [
  { name: "RC1", version: "5.1.2600.2096", kind: "rc", releasedAt: "2004-03-16T17:00:00Z" },
  { name: "RC2", version: "5.1.2600.2149", kind: "rc", releasedAt: "2004-06-09T17:00:00Z" },
  { name: "Final", version: "5.1.2600.2180 (RTM)", kind: "final", releasedAt: "2004-08-06T17:00:00Z" },
] as const;

export const SP2_RELEASE_SLIPS = [
  { recordedAt: "2004-03-16T12:00:00Z", plannedDate: "2004-06-30", note: "RC1 is out; Microsoft targets the end of June for the final release." },
  { recordedAt: "2004-05-26T12:00:00Z", plannedDate: "2004-07-30", note: "RC2 is late; the final release slips to July." },
  { recordedAt: "2004-07-08T12:00:00Z", plannedDate: "2004-08-06", note: "More RC2 feedback to address; release to manufacturing slips to August." },
] as const;

export const OTHER_BUILDS: Record<Exclude<UpdateKey, "sp2">, { name: string; version: string; releasedAt: string }> = {
  office: { name: "Final", version: "11.0.6361.0", releasedAt: "2004-07-27T17:00:00Z" },
  ie: { name: "Final", version: "6.0.2800.1473", releasedAt: "2004-07-30T17:00:00Z" },
  nic: { name: "Final", version: "7.1.10.0", releasedAt: "2004-06-15T17:00:00Z" },
};
