import { notFound } from "next/navigation";
import { RolloutPlanner } from "@/components/rollouts/rollout-planner";
import { requirePageAction } from "@/lib/auth/session";
import { deviceFilterOptions } from "@/lib/devices/queries";
import { notFoundOn404 } from "@/lib/rollouts/page-helpers";
import { getRolloutDetail } from "@/lib/rollouts/queries";
import { previewPlanAction, savePlanAction } from "../../actions";

export const metadata = { title: "Edit rollout plan" };

export default async function EditRolloutPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageAction("rollout.write");
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const [detail, options] = await Promise.all([notFoundOn404(getRolloutDetail(actor, id)), deviceFilterOptions(actor)]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Edit {detail.name}</h1>
      <RolloutPlanner
        updateTitle={detail.update.title}
        builds={detail.builds.map((b) => ({ id: b.id, name: b.name }))}
        sites={options.sites}
        departments={options.departments}
        osNames={options.osNames}
        initial={{
          rolloutId: detail.id,
          name: detail.name,
          buildId: String(detail.build.id),
          waves: detail.waves.map((w) => ({
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
            plannedStartAt: w.plannedStartAt ? w.plannedStartAt.slice(0, 10) : "",
          })),
        }}
        preview={previewPlanAction}
        save={savePlanAction}
      />
    </div>
  );
}
