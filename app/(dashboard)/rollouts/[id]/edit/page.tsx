import { RolloutPlanner } from "@/components/rollouts/rollout-planner";
import { requirePageAction } from "@/lib/auth/session";
import { deviceFilterOptions } from "@/lib/devices/queries";
import { notFoundOn404, rolloutIdParam } from "@/lib/rollouts/page-helpers";
import type { PlannerWave } from "@/components/rollouts/planner-model";
import { planCalendarChoices, planSettings, type SavedWaveSettings } from "@/lib/rollouts/plan";
import { getRolloutDetail, type RolloutDetail } from "@/lib/rollouts/queries";
import { previewPlanAction, savePlanAction } from "../../actions";

export const metadata = { title: "Edit rollout plan" };

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");
const text = (n: number | null) => (n === null ? "" : String(n));

/** A saved wave as the planner edits it (strings as typed; a date given as an offset stays an offset). */
function plannerWave(w: RolloutDetail["waves"][number], s: SavedWaveSettings): PlannerWave {
  return {
    id: w.id,
    started: w.status !== "planned",
    name: w.name,
    buildId: w.buildId ? String(w.buildId) : "",
    siteIds: w.targeting.siteIds ?? [],
    departmentIds: w.targeting.departmentIds ?? [],
    osNames: w.targeting.osNames ?? [],
    tags: (w.targeting.tags ?? []).join(", "),
    hostnames: (w.targeting.hostnames ?? []).join("\n"),
    samplePercent: w.targeting.samplePercent ? String(w.targeting.samplePercent) : "",
    gateMinSuccessPct: String(w.gate.minSuccessPct),
    gateMaxFailurePct: String(w.gate.maxFailurePct),
    gateMinAttempted: String(w.gate.minAttempted),
    autoStart: w.autoStart,
    soakDays: String(w.soakDays),
    startMode: s.startOffsetDays === null ? "date" : "offset",
    plannedStartAt: day(s.plannedStartAt),
    startOffsetDays: text(s.startOffsetDays),
    deadlineMode: s.deadlineOffsetDays === null ? "date" : "offset",
    deadlineAt: day(s.deadlineAt),
    deadlineOffsetDays: text(s.deadlineOffsetDays),
    complianceTargetPct: String(s.complianceTargetPct),
    maxDevicesPerDay: text(s.maxDevicesPerDay),
    gateAction: s.gateAction,
    gateMaxRollbackPct: text(s.gateMaxRollbackPct),
    regressionMinReports: text(s.regressionMinReports),
    regressionMaxRatio: String(s.regressionMaxRatio),
    readinessMaxUntestedPct: text(s.readinessMaxUntestedPct),
    blockingIssues: s.blockingIssues,
  };
}

export default async function EditRolloutPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageAction("rollout.write");
  const id = await rolloutIdParam(params);
  const [detail, options, settings] = await Promise.all([notFoundOn404(getRolloutDetail(actor, id)), deviceFilterOptions(actor), notFoundOn404(planSettings(actor, id))]);
  const calendar = await planCalendarChoices(actor, detail.update.slug);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Edit {detail.name}</h1>
      <RolloutPlanner
        updateTitle={detail.update.title}
        builds={detail.builds.map((b) => ({ id: b.id, name: b.name }))}
        sites={options.sites}
        departments={options.departments}
        osNames={options.osNames}
        releaseDate={calendar.releaseDate}
        knownIssues={calendar.knownIssues}
        initial={{
          rolloutId: detail.id,
          name: detail.name,
          buildId: String(detail.build.id),
          silentAfterDays: String(settings.silentAfterDays),
          waves: detail.waves.map((w) => plannerWave(w, settings.waves.get(w.id)!)),
        }}
        preview={previewPlanAction}
        save={savePlanAction}
      />
    </div>
  );
}
