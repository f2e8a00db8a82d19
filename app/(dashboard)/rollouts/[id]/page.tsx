import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { CardSkeleton, LoadingStatus, TableSkeleton } from "@/components/dashboards/skeletons";
import { RolloutImpactTable } from "@/components/known-issues/impact-table";
import { StateBar } from "@/components/overview/state-bar";
import { formatDate, formatPercent } from "@/lib/format";
import { MediaWaveSection } from "@/components/rollouts/media-wave-section";
import { WaveActions } from "@/components/rollouts/wave-actions";
import { WaveCalendar } from "@/components/rollouts/wave-calendar";
import { NowPanel, WaveWaits } from "@/components/rollouts/now-panel";
import { Banner } from "@/components/ui/feedback";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { RolloutCharts } from "@/components/dashboards/rollout-charts";
import { can } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/actor";
import { getPageActor } from "@/lib/auth/session";
import { sharedCountedData, sharedPageData } from "@/lib/cache/page-data";
import { sharedJson } from "@/lib/cache/shared-json";
import { FreshnessLine } from "@/components/dashboards/freshness-line";
import { readFreshness } from "@/lib/server/replica-reads";
import { countedImpactForRollout, IMPACT_MAX_AGE_MS } from "@/lib/known-issues/impact-cache";
import { mediaStatusForRollout } from "@/lib/rollouts/media";
import { getSilentCounts } from "@/lib/rollouts/silent";
import { SilentMachines } from "@/components/rollouts/silent-machines";
import { SilentAfterDaysForm } from "@/components/rollouts/silent-after-days-form";
import { CancelRolloutForm } from "@/components/rollouts/cancel-rollout-form";
import { notFoundOn404 } from "@/lib/rollouts/page-helpers";
import { getRolloutDetail, type RolloutDetail } from "@/lib/rollouts/queries";
import { rolloutNow, startState, type NowWave } from "@/lib/rollouts/now";
import { readRolloutRow } from "@/lib/rollouts/shared-reads";
import { getRolloutDashboard } from "@/lib/dashboards/queries";
import { readinessForRollout } from "@/lib/readiness/waves";
import { PlannedWaveReadiness } from "@/components/rollouts/wave-readiness";
import { cancelRolloutAction, mediaOverdueDaysAction, silentAfterDaysAction, waveActionAction } from "../actions";
import { PromoteForm } from "@/components/rollouts/promote-form";
import { WaveBuildMix } from "@/components/rollouts/wave-build-mix";
import { readWaveBuilds, summariseWithBehind } from "@/lib/rollouts/build-mix";
import { promoteBuildAction } from "../build-actions";

const WAVE_TONES: Record<string, BadgeTone> = { planned: "neutral", active: "info", paused: "warn", halted: "bad", completed: "good" };
const GATE_TONES: Record<string, BadgeTone> = { waiting_for_data: "neutral", in_progress: "info", passed: "good", breached: "bad" };
const GATE_LABELS: Record<string, string> = { waiting_for_data: "gate: waiting for data", in_progress: "gate: in progress", passed: "gate passed", breached: "gate breached" };

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: `Rollout ${(await params).id}` };
}

/** Impact analysis streams in after the rest of the page: it matches deployments against app versions (counted at most every 30 s). */
async function RolloutImpact({ actor, rolloutId }: { actor: Actor | null; rolloutId: number }) {
  const impact = await countedImpactForRollout(actor, rolloutId);
  return (
    <>
      <RolloutImpactTable impact={impact} />
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-300">
        Counted at {impact.countedAt.toISOString().slice(11, 19)} UTC; recounted at most every {IMPACT_MAX_AGE_MS / 1000} s.
      </p>
    </>
  );
}

export default async function RolloutPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ saved?: string | string[] }> }) {
  const actor = await getPageActor();
  const id = Number((await params).id);
  const saved = (await searchParams).saved === "1";
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  // The heading needs one small read, shared between viewers for a second like the body's; an unknown
  // rollout answers 404 before anything streams.
  const head = await sharedPageData(actor, "rollout.read", `rollout-head:${id}`, () => readRolloutRow(actor, id));
  if (!head) notFound();
  const status = head.rollout.status;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">{head.rollout.name}</h1>
        <Badge tone={status === "active" ? "info" : status === "completed" ? "good" : "neutral"}>{status}</Badge>
        {can(actor, "rollout.write") && status !== "completed" && status !== "cancelled" ? (
          <Link href={`/rollouts/${id}/edit`} className="ml-auto">
            Edit plan
          </Link>
        ) : null}
      </div>
      {status === "cancelled" ? (
        <div role="status" data-testid="rollout-cancelled">
          <Banner tone="warning">
            Cancelled {formatDate(head.rollout.cancelledAt)}: {head.rollout.cancelReason ?? "no reason recorded"}. It offers the update to no machine; what machines reported stays.
          </Banner>
        </div>
      ) : null}
      <Suspense fallback={<RolloutBodySkeleton />}>
        <RolloutBody actor={actor} id={id} saved={saved} />
      </Suspense>
    </div>
  );
}

function RolloutBodySkeleton() {
  return (
    <div className="space-y-6">
      <LoadingStatus what="the rollout's waves and charts" />
      <div className="h-5 w-2/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" aria-hidden="true" />
      <CardSkeleton height={300} />
      <CardSkeleton height={200} />
    </div>
  );
}

/** The waves as the now panel reads them (no query: the detail already holds them). */
function nowWaves(detail: RolloutDetail): NowWave[] {
  return detail.waves.map((w) => ({ ...w, held: w.counts.held ?? 0 }));
}

/** "Plan saved: 1,234 devices in 4 waves", after Save plan redirected here. */
function SavedBanner({ detail }: { detail: RolloutDetail }) {
  const devices = detail.waves.reduce((n, w) => n + w.summary.inScope, 0);
  return (
    <div role="status">
      <Banner tone="success">
        Plan saved: {devices.toLocaleString("en")} {devices === 1 ? "device" : "devices"} in {detail.waves.length} {detail.waves.length === 1 ? "wave" : "waves"}.
      </Banner>
    </div>
  );
}

/** Everything below the heading: what to do now, the plan with its counts, the charts, the impact analysis and the waves. */
async function RolloutBody({ actor, id, saved }: { actor: Actor; id: number; saved: boolean }) {
  // Readiness of the planned waves (issue #17) streams into their cards; viewers share one read a second, like the body's.
  const readiness = sharedCountedData(actor, "rollout.read", `rollout-readiness:${id}`, () => readinessForRollout(actor, id, "planned"));
  readiness.catch(() => undefined);
  // Said only when the numbers come from the read replica (DATABASE_REPLICA_URL).
  const freshness = await readFreshness(actor);
  // One read per second serves every viewer of this process (lib/cache/page-data.ts); the charts state when it was read.
  // The offline media counts are a slow read (issue #20): shared for 30 s, and the section says when it was counted.
  const mediaRead = sharedCountedData(actor, "rollout.read", `rollout-media:${id}`, () => mediaStatusForRollout(actor, id));
  mediaRead.catch(() => undefined);
  const [detail, dashboard, silent, waveBuilds] = await sharedPageData(actor, "rollout.read", `rollout:${id}`, () =>
    Promise.all([notFoundOn404(getRolloutDetail(actor, id)), notFoundOn404(getRolloutDashboard(actor, id)), notFoundOn404(getSilentCounts(actor, id)), readWaveBuilds(actor, id)]),
  );
  const { countedAt: mediaCountedAt, value: media } = await mediaRead;
  const mayAct = can(actor, "wave.action");
  const mayPlan = can(actor, "rollout.write");
  const waves = nowWaves(detail);
  const cancelled = detail.status === "cancelled";
  const now = cancelled ? { ...rolloutNow(waves), headline: "This rollout is cancelled.", note: null, action: null } : rolloutNow(waves);
  return (
    <>
      {saved ? <SavedBanner detail={detail} /> : null}
      <FreshnessLine freshness={freshness} />
      <NowPanel now={now} action={mayAct && now.action ? waveActionAction.bind(null, id, now.action.waveId) : null} />
      <p className="text-sm text-slate-700 dark:text-slate-300">
        <Link href={`/updates/${detail.update.slug}`} className="underline">{detail.update.title}</Link>, build {detail.build.name} ({detail.build.version}) ·{" "}
        <Link href={`/devices?update=${detail.update.slug}&state=not_applicable`} className="underline">{detail.outside.notApplicable.toLocaleString("en")} not applicable</Link> (nothing to install, not failures) ·{" "}
        {detail.outside.excluded.toLocaleString("en")} excluded
      </p>
      {mayPlan && !cancelled && detail.status !== "completed" ? (
        <Card title="Promote to a newer build">
          <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">
            Every wave that is not completed moves to the build you choose; machines that installed an older one count as installed, behind until they report the new build.
          </p>
          <PromoteForm builds={detail.builds.filter((b) => b.id > detail.build.id)} action={promoteBuildAction.bind(null, id)} />
        </Card>
      ) : null}
      {mayPlan && !cancelled && detail.status !== "completed" ? <SilentAfterDaysForm days={silent.silentAfterDays} action={silentAfterDaysAction.bind(null, id)} /> : null}
      <RolloutCharts initialJson={sharedJson(dashboard)} />
      {can(actor, "known_issue.read") ? (
        <Card title="Impact of known issues">
          <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">
            Devices in each wave with an app version a known issue of this update affects (before the wave starts, too); a count opens the machines.
          </p>
          <Suspense
            fallback={
              <>
                <LoadingStatus what="the impact analysis" />
                <TableSkeleton rows={detail.waves.length + 1} />
              </>
            }
          >
            <RolloutImpact actor={actor} rolloutId={id} />
          </Suspense>
        </Card>
      ) : null}
      <ol className="space-y-4" aria-label="Waves">
        {detail.waves.map((w, i) => {
          const m = media.find((x) => x.waveId === w.id);
          const start = w.status === "planned" ? startState(waves, waves[i]) : undefined;
          const builds = waveBuilds.get(w.id);
          const summary = summariseWithBehind(w.counts, builds?.behind ?? 0);
          return (
            <li key={w.id} data-testid="rollout-wave">
              <Card>
                <div className="flex flex-wrap items-baseline gap-2">
                  <h2 className="text-lg font-semibold">{w.name}</h2>
                  <Badge tone={WAVE_TONES[w.status]}>{w.status}</Badge>
                  <Badge tone={GATE_TONES[w.verdict.status]}>{GATE_LABELS[w.verdict.status]}</Badge>
                  {w.autoStart ? <Badge tone="info">auto-start after {w.soakDays} days soak</Badge> : null}
                  <span className="ml-auto text-sm tabular-nums">
                    {summary.installed.toLocaleString("en")} of {summary.inScope.toLocaleString("en")} installed ({formatPercent(summary.installedPct)})
                  </span>
                </div>
                <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
                  Started {formatDate(w.startedAt)}
 · gate: at least {w.gate.minSuccessPct} % success, at most {w.gate.maxFailurePct} % failed or rolled back, decided from {w.gate.minAttempted} attempted ·{" "}
                  <Link href={`/devices?update=${detail.update.slug}`} className="underline">devices</Link>
                </p>
                <WaveCalendar wave={w} />
                {builds ? <WaveBuildMix waveName={w.name} builds={builds} devicesHref={`/devices?update=${detail.update.slug}&wave=${w.id}&state=installed`} /> : null}
                <div className="mt-2">
                  <StateBar counts={w.counts} label={`Deployment states in ${w.name}`} />
                </div>
                <p className="mt-2 text-sm" data-testid="gate-verdict">
                  Failure rate {formatPercent(w.verdict.failurePct)} of {w.verdict.attempted} attempted (limit {w.gate.maxFailurePct} %). {w.verdict.reason}
                </p>
                {w.blockingIssues.length ? (
                  <p className="mt-1 text-sm text-red-800 dark:text-red-300">
                    Blocked by{" "}
                    {w.blockingIssues.map((b) => (
                      <Link key={b.id} href={`/known-issues/${b.advisoryId}`} className="mr-2 underline">
                        {b.advisoryId} {b.title}
                      </Link>
                    ))}
                  </p>
                ) : null}
                {w.status === "active" || w.status === "paused" || w.status === "halted" ? (
                  <SilentMachines rolloutId={id} waveId={w.id} updateSlug={detail.update.slug} silent={silent.perWave.get(w.id) ?? 0} silentAfterDays={silent.silentAfterDays} />
                ) : null}
                {m && m.offlineDevices > 0 ? (
                  <MediaWaveSection rolloutId={id} waveName={w.name} media={m} countedAt={mediaCountedAt} overdueAction={mayPlan ? mediaOverdueDaysAction.bind(null, id, w.id) : null} />
                ) : null}
                {w.status === "planned" ? (
                  <Suspense fallback={null}>
                    <PlannedWaveReadiness readiness={readiness} waveId={w.id} rolloutId={id} updateSlug={detail.update.slug} />
                  </Suspense>
                ) : null}
                {start ? <WaveWaits start={start} /> : null}
                {mayAct && !cancelled ? <WaveActions waveId={w.id} waveName={w.name} status={w.status} start={start} action={waveActionAction.bind(null, id, w.id)} /> : null}
              </Card>
            </li>
          );
        })}
      </ol>
      {mayPlan && !cancelled && detail.status !== "completed" ? <CancelRolloutForm action={cancelRolloutAction.bind(null, id)} /> : null}
    </>
  );
}
