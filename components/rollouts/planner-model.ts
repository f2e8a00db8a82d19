// The planner's editable wave (strings as typed), shared by the pages that prepare it and the planner,
// and the plan it sends (the DAL's schema parses the strings).
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
  plannedStartAt: string;
};

export type PlannerInitial = { rolloutId?: number; name: string; buildId: string; waves: PlannerWave[] };

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
  plannedStartAt: "",
});

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
export function toPlan(name: string, buildId: string, waves: PlannerWave[], rolloutId?: number) {
  return {
    ...(rolloutId ? { rolloutId } : {}),
    name,
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
      plannedStartAt: w.plannedStartAt ? w.plannedStartAt : null,
    })),
  };
}
