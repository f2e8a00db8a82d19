// The catalog: SP2 with its builds and release-date slips, and three smaller updates. Every date is
// a number of days before the day the demo is seeded, so the release history, the pilot, the vendor's
// fix and the adoption chart tell one recent story, whatever the date: the real SP2 slipped from the
// end of June 2004 by a month, then by another week (RTM on 6 August); here it slips the same way.
import type * as s from "../../schema";
import { MB, SP2_SLUG } from "./scenario";

export type UpdateKey = "sp2" | "office" | "ie" | "nic";

export const UPDATES: Record<UpdateKey, Omit<s.NewUpdate, "id" | "plannedReleaseDate">> = {
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
  },
};

/** Days before the seed's day: RC1 long before the pilot, RC2 just before its pilot installs, the final build a month ago. */
export const SP2_BUILDS = [
  { name: "RC1", version: "5.1.2600.2096", kind: "rc", releasedDaysAgo: 110 },
  { name: "RC2", version: "5.1.2600.2149", kind: "rc", releasedDaysAgo: 52 },
  { name: "Final", version: "5.1.2600.2180 (RTM)", kind: "final", releasedDaysAgo: 31 },
] as const;

/** Each slip: when it was recorded and the new planned date, in days before the seed's day; the last is the final release. */
export const SP2_RELEASE_SLIPS = [
  { recordedDaysAgo: 110, plannedDaysAgo: 68, note: "RC1 is out; Microsoft targets the end of the month after next for the final release." },
  { recordedDaysAgo: 75, plannedDaysAgo: 38, note: "RC2 is late; the final release slips by a month." },
  { recordedDaysAgo: 45, plannedDaysAgo: 31, note: "More RC2 feedback to address; release to manufacturing slips by another week." },
] as const;

/** The final build of each other update, in days before the seed's day (each before its first install). */
export const OTHER_BUILDS: Record<Exclude<UpdateKey, "sp2">, { name: string; version: string; releasedDaysAgo: number }> = {
  office: { name: "Final", version: "11.0.6361.0", releasedDaysAgo: 41 },
  ie: { name: "Final", version: "6.0.2800.1473", releasedDaysAgo: 38 },
  nic: { name: "Final", version: "7.1.10.0", releasedDaysAgo: 83 },
};

/** The planned release date each update shows: SP2's last slip, the others' release day. */
export function plannedReleaseDaysAgo(key: UpdateKey): number {
  return key === "sp2" ? SP2_RELEASE_SLIPS[SP2_RELEASE_SLIPS.length - 1].plannedDaysAgo : OTHER_BUILDS[key].releasedDaysAgo;
}
