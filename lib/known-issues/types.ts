// What the known-issue DAL returns (plain objects; pages, the API and the feed read these).
import type { KnownIssueStatus, Severity } from "./lifecycle";
import type { FixLinkType } from "./validation";

export type KnownIssueListItem = {
  advisoryId: string;
  title: string;
  status: KnownIssueStatus;
  severity: Severity;
  update: { slug: string; title: string };
  affectedApps: { name: string; versionRange: string }[];
  safeguardHold: boolean;
  reportCount: number;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
};

export type KnownIssueList = {
  items: KnownIssueListItem[];
  total: number;
  page: number;
  pageSize: number;
  hasMore: boolean;
};

export type FixLink = {
  id: number;
  vendor: string;
  title: string;
  url: string;
  type: FixLinkType;
  publishedAt: Date | null;
};

export type HistoryEntry = {
  id: number;
  at: Date;
  actor: string;
  field: string;
  from: string | null;
  to: string | null;
  note: string;
};

export type HelpdeskReport = {
  id: number;
  ticketRef: string;
  hostname: string | null;
  note: string;
  reportedBy: string | null;
  createdAt: Date;
};

export type KnownIssueDetail = {
  id: number;
  advisoryId: string;
  title: string;
  status: KnownIssueStatus;
  severity: Severity;
  update: { slug: string; title: string; kb: string | null };
  build: { name: string; version: string } | null;
  originKb: string | null;
  resolvingUpdate: { slug: string; title: string } | null;
  resolvingKb: string | null;
  affectedPlatforms: string[];
  affectedApps: { name: string; versionRange: string; known: boolean }[];
  symptoms: string;
  workaround: string;
  resolution: string;
  safeguardHold: boolean;
  safeguardHoldId: string | null;
  heldDevices: number;
  blocking: boolean;
  fixLinks: FixLink[];
  history: HistoryEntry[];
  reports: { total: number; items: HelpdeskReport[] };
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
};

/** A known issue that matches one device: which of its apps, and where its update stands there. */
export type DeviceKnownIssue = {
  advisoryId: string;
  title: string;
  status: KnownIssueStatus;
  severity: Severity;
  update: { slug: string; title: string };
  matchedApps: { name: string; version: string; versionRange: string }[];
  /** The device's deployment state for the issue's update (null: not planned yet). */
  deploymentState: string | null;
  /** This issue's safeguard hold holds the device back. */
  heldByThisIssue: boolean;
  workaround: string;
  fixLinks: FixLink[];
  /** Helpdesk reports filed for this device against the issue. */
  reportsForDevice: number;
};

export type WaveImpact = {
  waveId: number;
  position: number;
  name: string;
  status: string;
  plannedStartAt: Date | null;
  devices: number;
  affected: number;
  held: number;
};

export type IssueImpact = {
  advisoryId: string;
  title: string;
  status: KnownIssueStatus;
  /** Devices in the whole inventory with an affected app version. */
  inventoryAffected: number;
  rollouts: { id: number; name: string; status: string; waves: WaveImpact[]; unassigned: number }[];
};

export type ImpactDevice = {
  hostname: string;
  site: string;
  state: string;
  apps: string;
};

export type RolloutImpact = {
  rolloutId: number;
  issues: { advisoryId: string; title: string; status: KnownIssueStatus; severity: Severity; safeguardHold: boolean; blocking: boolean }[];
  waves: (Omit<WaveImpact, "affected" | "held"> & { byIssue: Record<string, { affected: number; held: number }> })[];
};
