import { Suspense } from "react";
import { UpdateChartsSection, UpdateChartsSkeleton, UpdateView } from "@/components/updates/update-view";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { getUpdateDashboard } from "@/lib/dashboards/queries";
import { notFoundOn404 } from "@/lib/rollouts/page-helpers";
import { getUpdate } from "@/lib/updates/catalog";
import { addBuildAction, pauseUpdateAction, recordSlipAction, resumeUpdateAction } from "../actions";
import { PauseControl } from "@/components/updates/pause-control";
import { getUpdatePause } from "@/lib/updates/pause";
import { setReadinessCellAction } from "../readiness-actions";
import { ReadinessMatrixSection } from "@/components/updates/readiness-matrix";
import { getReadinessMatrix } from "@/lib/readiness/matrix";
import { CardSkeleton } from "@/components/dashboards/skeletons";
import { BuildAdoptionSection } from "@/components/updates/build-adoption-section";
import { getAdoptionByBuild } from "@/lib/updates/adoption-by-build";
import { sharedCountedData } from "@/lib/cache/page-data";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ created?: string | string[]; readinessPage?: string | string[] }> };

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return { title: `Update ${decodeURIComponent(slug)}` };
}

export default async function UpdatePage({ params, searchParams }: Props) {
  const actor = await getPageActor();
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  // The update and its charts are read at the same time; the charts stream in behind a skeleton.
  const dashboard = notFoundOn404(getUpdateDashboard(actor, slug));
  dashboard.catch(() => undefined); // an unknown update answers 404 below; its charts are never shown
  // The readiness matrix (issue #17) streams in too, a page of app rows at a time.
  const readinessPage = Number(typeof query.readinessPage === "string" ? query.readinessPage : 1);
  const matrixPage = Number.isSafeInteger(readinessPage) && readinessPage > 0 ? readinessPage : 1;
  // A slow read at 100,000 devices (issue #20): viewers share it for 30 s and the section says when it was counted.
  const matrix = sharedCountedData(actor, "update.read", `readiness-matrix:${slug}:${matrixPage}`, () => getReadinessMatrix(actor, slug, { page: matrixPage }));
  matrix.catch(() => undefined);
  // Installed machines per build over time (issue #17) streams in beside the charts.
  const buildAdoption = getAdoptionByBuild(actor, slug);
  buildAdoption.catch(() => undefined);
  const detail = await notFoundOn404(getUpdate(actor, slug));
  const pause = can(actor, "update.write") ? await getUpdatePause(actor, slug) : null;
  return (
    <UpdateView
      detail={detail}
      created={query.created === "1"}
      charts={
        <>
          <Suspense fallback={<UpdateChartsSkeleton />}>
            <UpdateChartsSection slug={slug} dashboard={dashboard} />
          </Suspense>
          <Suspense fallback={<CardSkeleton height={320} />}>
            <BuildAdoptionSection adoption={buildAdoption} />
          </Suspense>
        </>
      }
      editorActions={can(actor, "update.write") ? { addBuild: addBuildAction.bind(null, slug), recordSlip: recordSlipAction.bind(null, slug) } : null}
      canPlanRollout={can(actor, "rollout.write")}
      pauseControl={
        can(actor, "update.write") ? (
          <PauseControl title={detail.update.title} pause={pause} pauseAction={pauseUpdateAction.bind(null, slug)} resumeAction={resumeUpdateAction.bind(null, slug)} />
        ) : null
      }
      readiness={
        <Suspense fallback={<CardSkeleton height={320} />}>
          <ReadinessMatrixSection matrix={matrix} markCell={can(actor, "update.write") ? setReadinessCellAction.bind(null, slug) : null} />
        </Suspense>
      }
    />
  );
}
