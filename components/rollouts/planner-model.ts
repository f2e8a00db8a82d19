// The planner's editable wave (strings as typed), shared by the pages that prepare it and the planner.
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

