import Link from "next/link";
import { notFound } from "next/navigation";
import { blankWave } from "@/components/rollouts/planner-model";
import { RolloutPlanner } from "@/components/rollouts/rollout-planner";
import { Banner } from "@/components/ui/feedback";
import { requirePageAction } from "@/lib/auth/session";
import { deviceFilterOptions } from "@/lib/devices/queries";
import { notFoundOn404 } from "@/lib/rollouts/page-helpers";
import { planCalendarChoices } from "@/lib/rollouts/plan";
import { listRollouts } from "@/lib/rollouts/queries";
import { getUpdate } from "@/lib/updates/catalog";
import { previewPlanAction, savePlanAction } from "../actions";

export const metadata = { title: "Plan a rollout" };

export default async function NewRolloutPage({ searchParams }: { searchParams: Promise<{ update?: string }> }) {
  const actor = await requirePageAction("rollout.write");
  const { update: slug } = await searchParams;
  if (typeof slug !== "string" || !slug) notFound();
  const [detail, options, existing, calendar] = await Promise.all([
    notFoundOn404(getUpdate(actor, slug)),
    deviceFilterOptions(actor),
    listRollouts(actor, { update: slug }),
    notFoundOn404(planCalendarChoices(actor, slug)),
  ]);
  const final = detail.builds.find((b) => b.kind === "final") ?? detail.builds.at(-1);
  // An update has one open rollout at a time (saving a second is refused): say so before any typing.
  const open = existing.find((r) => r.status === "draft" || r.status === "active");
  if (open) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">Plan a rollout of {detail.update.title}</h1>
        <div role="status" data-testid="open-rollout">
          <Banner tone="warning" className="p-3">
            <p>
              {detail.update.title} already has an open rollout: <Link href={`/rollouts/${open.id}`}>{open.name}</Link> ({open.status}). An update has one open
              rollout at a time; to reach more machines, add waves to it.
            </p>
            <p className="mt-2">
              <Link href={`/rollouts/${open.id}/edit`}>Edit its plan</Link>
            </p>
          </Banner>
        </div>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Plan a rollout of {detail.update.title}</h1>
      <p className="max-w-3xl text-sm text-slate-700 dark:text-slate-300">
        Waves start in order. Each wave takes, from the devices earlier waves left, those matching all of its criteria; a sample keeps a percentage of them. Devices
        whose OS the update does not apply to are not applicable; devices no wave takes are excluded.
      </p>
      <RolloutPlanner
        updateTitle={detail.update.title}
        builds={detail.builds.map((b) => ({ id: b.id, name: b.name }))}
        sites={options.sites}
        departments={options.departments}
        osNames={options.osNames}
        releaseDate={calendar.releaseDate}
        knownIssues={calendar.knownIssues}
        initial={{ name: `${detail.update.title} rollout`, buildId: final ? String(final.id) : "", silentAfterDays: "7", waves: [blankWave("Wave 0 – pilot")] }}
        preview={previewPlanAction}
        save={savePlanAction}
      />
    </div>
  );
}
