import { describe, expect, it } from "vitest";
import {
  ACTIVE_STATUSES,
  canTransition,
  checkTransition,
  formatAdvisoryId,
  KNOWN_ISSUE_STATUSES,
  parseAdvisoryId,
  TRANSITIONS,
  type KnownIssueStatus,
} from "./lifecycle";

describe("known-issue lifecycle", () => {
  it("has the seven statuses of the release health lifecycle", () => {
    expect(KNOWN_ISSUE_STATUSES).toEqual([
      "reported",
      "investigating",
      "confirmed",
      "mitigated",
      "mitigated_external",
      "resolved",
      "resolved_external",
    ]);
    expect(ACTIVE_STATUSES).not.toContain("resolved");
    expect(ACTIVE_STATUSES).not.toContain("resolved_external");
  });

  it.each<[KnownIssueStatus, KnownIssueStatus]>([
    ["reported", "investigating"],
    ["investigating", "confirmed"],
    ["confirmed", "mitigated"],
    ["mitigated", "resolved_external"],
    ["investigating", "mitigated_external"],
    ["resolved", "investigating"],
  ])("allows %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each<[KnownIssueStatus, KnownIssueStatus]>([
    ["reported", "mitigated"],
    ["reported", "resolved_external"],
    ["resolved", "confirmed"],
    ["resolved", "resolved_external"],
    ["resolved_external", "mitigated"],
    ["mitigated", "investigating"],
  ])("refuses %s → %s with a message naming the allowed moves", (from, to) => {
    const check = checkTransition(from, to, { note: "because", hasVendorFix: true });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.field).toBe("status");
      expect(check.message).toMatch(/can become/);
    }
  });

  it("never allows staying in the same status or a move outside the table", () => {
    for (const from of KNOWN_ISSUE_STATUSES) {
      for (const to of KNOWN_ISSUE_STATUSES) {
        const check = checkTransition(from, to, { note: "n", hasVendorFix: true });
        expect(check.ok).toBe(from !== to && TRANSITIONS[from].includes(to));
      }
    }
  });

  it("needs a note to resolve and to reopen", () => {
    expect(checkTransition("confirmed", "resolved", { note: "  " })).toMatchObject({ ok: false, field: "note" });
    expect(checkTransition("resolved", "investigating", {})).toMatchObject({ ok: false, field: "note" });
    expect(checkTransition("confirmed", "resolved", { note: "fixed in RC2" })).toEqual({ ok: true });
    expect(checkTransition("reported", "investigating", {})).toEqual({ ok: true });
  });

  it("needs a vendor fix to be resolved externally", () => {
    expect(checkTransition("mitigated", "resolved_external", { note: "vendor fix", hasVendorFix: false })).toMatchObject({
      ok: false,
      field: "fixLinks",
    });
    expect(checkTransition("mitigated", "resolved_external", { note: "vendor fix", hasVendorFix: true })).toEqual({ ok: true });
  });

  it("formats and parses advisory ids", () => {
    expect(formatAdvisoryId(1)).toBe("RC-0001");
    expect(formatAdvisoryId(12345)).toBe("RC-12345");
    expect(parseAdvisoryId("rc-1")).toBe("RC-0001");
    expect(parseAdvisoryId("RC0042")).toBe("RC-0042");
    expect(parseAdvisoryId("RC-0000")).toBeNull();
    expect(parseAdvisoryId("KB835935")).toBeNull();
  });
});
