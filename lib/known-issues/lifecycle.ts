// The known-issue lifecycle (the Windows release health statuses): which status may follow which,
// and which changes need a note. One table, used by the API, the UI and the tests.
import { knownIssueStatusEnum, type KnownIssueStatus } from "@/db/schema";

export const KNOWN_ISSUE_STATUSES = knownIssueStatusEnum.enumValues;
export type { KnownIssueStatus };

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * from → the statuses it may move to. Resolved issues can only be reopened (back to investigating);
 * a report can be dismissed straight to resolved (with a note saying why).
 */
export const TRANSITIONS: Record<KnownIssueStatus, readonly KnownIssueStatus[]> = {
  reported: ["investigating", "confirmed", "resolved"],
  investigating: ["confirmed", "mitigated", "mitigated_external", "resolved", "resolved_external"],
  confirmed: ["investigating", "mitigated", "mitigated_external", "resolved", "resolved_external"],
  mitigated: ["confirmed", "mitigated_external", "resolved", "resolved_external"],
  mitigated_external: ["confirmed", "mitigated", "resolved", "resolved_external"],
  resolved: ["investigating"],
  resolved_external: ["investigating"],
};

export const STATUS_LABELS: Record<KnownIssueStatus, string> = {
  reported: "Reported",
  investigating: "Investigating",
  confirmed: "Confirmed",
  mitigated: "Mitigated",
  mitigated_external: "Mitigated (external)",
  resolved: "Resolved",
  resolved_external: "Resolved (external)",
};

export const RESOLVED_STATUSES: readonly KnownIssueStatus[] = ["resolved", "resolved_external"];
export const ACTIVE_STATUSES: readonly KnownIssueStatus[] = KNOWN_ISSUE_STATUSES.filter((s) => !RESOLVED_STATUSES.includes(s));

export function isKnownIssueStatus(value: string): value is KnownIssueStatus {
  return (KNOWN_ISSUE_STATUSES as readonly string[]).includes(value);
}

export function isResolved(status: KnownIssueStatus): boolean {
  return RESOLVED_STATUSES.includes(status);
}

export function canTransition(from: KnownIssueStatus, to: KnownIssueStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Resolving and reopening must say why; other moves may carry a note. */
export function transitionNeedsNote(from: KnownIssueStatus, to: KnownIssueStatus): boolean {
  return isResolved(to) || isResolved(from);
}

export type TransitionCheck = { ok: true } | { ok: false; field: "status" | "note" | "fixLinks"; message: string };

/**
 * Whether `from → to` may happen with this note. "Resolved (external)" means the vendor shipped
 * the fix, so it needs a fix link or a resolving KB to point people to.
 */
export function checkTransition(
  from: KnownIssueStatus,
  to: KnownIssueStatus,
  context: { note?: string | null; hasVendorFix?: boolean },
): TransitionCheck {
  if (from === to) return { ok: false, field: "status", message: `The issue is already ${STATUS_LABELS[to].toLowerCase()}.` };
  if (!canTransition(from, to)) {
    const allowed = TRANSITIONS[from].map((s) => STATUS_LABELS[s].toLowerCase()).join(", ");
    return {
      ok: false,
      field: "status",
      message: `An issue that is ${STATUS_LABELS[from].toLowerCase()} cannot become ${STATUS_LABELS[to].toLowerCase()}; it can become: ${allowed}.`,
    };
  }
  if (transitionNeedsNote(from, to) && !context.note?.trim()) {
    return {
      ok: false,
      field: "note",
      message: isResolved(to) ? "Say how the issue was resolved: a note is required." : "Say why the issue is reopened: a note is required.",
    };
  }
  if (to === "resolved_external" && !context.hasVendorFix) {
    return { ok: false, field: "fixLinks", message: "Resolved (external) needs a vendor fix link or a resolving KB." };
  }
  return { ok: true };
}

export function statusTone(status: KnownIssueStatus): "bad" | "warn" | "info" | "good" | "neutral" {
  switch (status) {
    case "reported":
      return "neutral";
    case "investigating":
      return "warn";
    case "confirmed":
      return "bad";
    case "mitigated":
    case "mitigated_external":
      return "info";
    default:
      return "good";
  }
}

export function severityTone(severity: Severity): "bad" | "warn" | "info" | "neutral" {
  return severity === "critical" || severity === "high" ? "bad" : severity === "medium" ? "warn" : "neutral";
}

/** RC-0001, RC-0042, RC-12345: at least four digits. */
export function formatAdvisoryId(n: number): string {
  return `RC-${String(n).padStart(4, "0")}`;
}

/** "rc-1", "RC0001", "rc-0001" → "RC-0001"; null when it is not an advisory id. */
export function parseAdvisoryId(value: string): string | null {
  const match = /^\s*rc-?(\d{1,9})\s*$/i.exec(value);
  if (!match) return null;
  const n = Number(match[1]);
  return n > 0 ? formatAdvisoryId(n) : null;
}
