// The planner's editable wave (strings as typed), shared by the pages that prepare it and the planner,
// and the plan it sends (the DAL's schema parses the strings).
import { dateFromRelease, isoDay } from "@/lib/rollouts/wave-dates";

export type PlannerWave = {
  id?: number;
  started: boolean;
  name: string;
  buildId: string;
  siteIds: number[];
  departmentIds: number[];
  osNames: string[];
  tags: string;
  hostnames: string;
  samplePercent: string;
  gateMinSuccessPct: string;
  gateMaxFailurePct: string;
  gateMinAttempted: string;
  autoStart: boolean;
  soakDays: string;
  /** The start and the deadline: a date, or "release + N days" (the offset field). */
  startMode: DateMode;
  plannedStartAt: string;
  startOffsetDays: string;
  deadlineMode: DateMode;
  deadlineAt: string;
  deadlineOffsetDays: string;
  complianceTargetPct: string;
  maxDevicesPerDay: string;
  gateAction: string;
  gateMaxRollbackPct: string;
  regressionMinReports: string;
  regressionMaxRatio: string;
  readinessMaxUntestedPct: string;
  /** Advisory ids of the update's known issues that block this wave. */
  blockingIssues: string[];
};

export type DateMode = "date" | "offset";

export type PlannerInitial = { rolloutId?: number; name: string; buildId: string; silentAfterDays: string; waves: PlannerWave[] };

export const blankWave = (name: string): PlannerWave => ({
  started: false,
  name,
  buildId: "",
  siteIds: [],
  departmentIds: [],
  osNames: [],
  tags: "",
  hostnames: "",
  samplePercent: "",
  gateMinSuccessPct: "95",
  gateMaxFailurePct: "5",
  gateMinAttempted: "10",
  autoStart: false,
  soakDays: "0",
  startMode: "date",
  plannedStartAt: "",
  startOffsetDays: "",
  deadlineMode: "date",
  deadlineAt: "",
  deadlineOffsetDays: "",
  complianceTargetPct: "95",
  maxDevicesPerDay: "",
  gateAction: "halt",
  gateMaxRollbackPct: "",
  regressionMinReports: "",
  regressionMaxRatio: "2",
  readinessMaxUntestedPct: "",
  blockingIssues: [],
});

/** The day a wave date resolves to (YYYY-MM-DD), as the server will store it; null when it cannot be known yet. */
export function resolvedDay(mode: DateMode, date: string, offset: string, release: string | null): string | null {
  if (mode === "date") return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null;
  const days = Number(offset);
  if (!release || offset.trim() === "" || !Number.isInteger(days)) return null;
  return isoDay(dateFromRelease(release, days));
}


/** "pilot, vip" or one hostname per line → the list. */
export const splitList = (text: string) =>
  text
    .split(/[,\n;]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The value added to or taken out of a checkbox group's list. */
export function toggled<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** The waves with the one at `index` moved by `delta` places. */
export function moved<T>(list: readonly T[], index: number, delta: number): T[] {
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(index + delta, 0, item);
  return next;
}

/** The plan as the DAL's PlanInput takes it. */
export function toPlan(name: string, buildId: string, waves: PlannerWave[], rolloutId?: number, silentAfterDays = "7") {
  return {
    ...(rolloutId ? { rolloutId } : {}),
    name,
    silentAfterDays,
    buildId: buildId ? Number(buildId) : undefined,
    waves: waves.map((w) => ({
      ...(w.id ? { id: w.id } : {}),
      name: w.name,
      buildId: w.buildId ? Number(w.buildId) : null,
      targeting: {
        siteIds: w.siteIds,
        departmentIds: w.departmentIds,
        osNames: w.osNames,
        tags: splitList(w.tags),
        hostnames: splitList(w.hostnames),
        ...(w.samplePercent.trim() ? { samplePercent: w.samplePercent.trim() } : {}),
      },
      gateMinSuccessPct: w.gateMinSuccessPct,
      gateMaxFailurePct: w.gateMaxFailurePct,
      gateMinAttempted: w.gateMinAttempted,
      autoStart: w.autoStart,
      soakDays: w.soakDays,
      // Only the chosen form of each date is sent: an offset, or a date.
      plannedStartAt: w.startMode === "date" && w.plannedStartAt ? w.plannedStartAt : null,
      startOffsetDays: w.startMode === "offset" ? w.startOffsetDays : "",
      deadlineAt: w.deadlineMode === "date" && w.deadlineAt ? w.deadlineAt : null,
      deadlineOffsetDays: w.deadlineMode === "offset" ? w.deadlineOffsetDays : "",
      complianceTargetPct: w.complianceTargetPct,
      maxDevicesPerDay: w.maxDevicesPerDay,
      gateAction: w.gateAction,
      gateMaxRollbackPct: w.gateMaxRollbackPct,
      regressionMinReports: w.regressionMinReports,
      regressionMaxRatio: w.regressionMaxRatio,
      readinessMaxUntestedPct: w.readinessMaxUntestedPct,
      blockingIssues: w.blockingIssues,
    })),
  };
}
