// The update page: header and description, adoption figures, the charts (streamed: pass them in
// their own Suspense), its rollouts, builds, release-date history and adoption per OS and site,
// with the editor's forms. The page reads; this renders.
import Link from "next/link";
import { CardSkeleton, LoadingStatus } from "@/components/dashboards/skeletons";
import { UpdateCharts } from "@/components/dashboards/update-charts";
import { Markdown } from "@/components/markdown/markdown";
import { Badge } from "@/components/ui/badge";
import { Card, Stat } from "@/components/ui/card";
import { Banner } from "@/components/ui/feedback";
import { Table, Td, Th } from "@/components/ui/table";
import type { UpdateDashboard } from "@/lib/dashboards/queries";
import { formatBytes, formatDate, formatNumber, formatPercent } from "@/lib/format";
import type { FormState } from "@/lib/forms/form-state";
import type { UpdateDetail } from "@/lib/updates/catalog";
import { AddBuildForm, SlipForm } from "./build-and-slip-forms";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

type ViewProps = {
  detail: UpdateDetail;
  /** The streamed charts (`<Suspense fallback={<UpdateChartsSkeleton />}><UpdateChartsSection …/></Suspense>`). */
  charts: React.ReactNode;
  /** Just created: say so and what comes next. */
  created: boolean;
  /** The editor's forms bound to this update; null when the reader may not change it. */
  editorActions: { addBuild: Action; recordSlip: Action } | null;
  /** May the reader plan rollouts. */
  canPlanRollout: boolean;
  /** The readiness matrix, streamed (`<Suspense><ReadinessMatrixSection …/></Suspense>`, components/updates/readiness-matrix.tsx). */
  readiness?: React.ReactNode;
  /** The emergency pause control for editors (components/updates/pause-control.tsx); null for readers. */
  pauseControl?: React.ReactNode;
};

export function UpdateView({ detail, charts, created, editorActions, canPlanRollout, readiness, pauseControl }: ViewProps) {
  const { update } = detail;
  return (
    <div className="space-y-6">
      <UpdateHeader update={update} editable={editorActions !== null} />
      {created ? (
        <Banner tone="success" className="max-w-3xl">
          <p role="status">Update created. Add its builds and release-date history below, then plan a rollout.</p>
        </Banner>
      ) : null}
      {update.description ? <Markdown className="max-w-3xl">{update.description}</Markdown> : null}
      {pauseControl ? (
        <Card title="Emergency pause" className="max-w-3xl">
          {pauseControl}
        </Card>
      ) : null}
      <AdoptionStats detail={detail} />
      {charts}
      <UpdateRollouts detail={detail} canPlanRollout={canPlanRollout} />
      {readiness}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Builds" className="min-w-0">
          <BuildTable detail={detail} />
          {editorActions ? (
            <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
              <AddBuildForm action={editorActions.addBuild} />
            </div>
          ) : null}
        </Card>
        <Card title="Release timeline" className="min-w-0">
          <ReleaseTimeline history={detail.releaseHistory} />
          {editorActions ? (
            <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
              <SlipForm action={editorActions.recordSlip} current={update.plannedReleaseDate} />
            </div>
          ) : null}
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <AdoptionBreakdown title="Adoption by operating system" column="OS" rows={detail.byOs} />
        <AdoptionBreakdown title="Adoption by site" column="Site" rows={detail.bySite} />
      </div>
    </div>
  );
}

function UpdateHeader({ update, editable }: { update: UpdateDetail["update"]; editable: boolean }) {
  return (
    <>
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">{update.title}</h1>
        <Badge>{update.kind.replace(/_/g, " ")}</Badge>
        {update.kb ? <Badge tone="info">{update.kb}</Badge> : null}
        {editable ? (
          <Link href={`/updates/${update.slug}/edit`} className="ml-auto">
            Edit
          </Link>
        ) : null}
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {update.vendor} · {update.product} · {formatBytes(update.sizeBytes)} · applies to {update.applicableOsNames.length ? update.applicableOsNames.join(", ") : "every OS"}
        {update.vendorStatus ? ` · ${update.vendorStatus}` : ""}
      </p>
    </>
  );
}

function AdoptionStats({ detail }: { detail: UpdateDetail }) {
  const { adoption } = detail;
  return (
    <div className="grid gap-4 sm:grid-cols-4">
      <Stat label="Installed" value={formatNumber(adoption.installed)} hint={`${formatPercent(adoption.installedPct)} of ${formatNumber(adoption.inScope)} in scope`} />
      <Stat label="Failed or rolled back" value={formatNumber(adoption.failed)} />
      <Stat label="Not applicable" value={formatNumber(adoption.notApplicable)} hint="Nothing to install; compliant" />
      <Stat label="Planned release" value={formatDate(detail.update.plannedReleaseDate)} />
    </div>
  );
}

function UpdateRollouts({ detail, canPlanRollout }: { detail: UpdateDetail; canPlanRollout: boolean }) {
  const { rollouts, builds, update } = detail;
  const openRollout = rollouts.find((r) => r.status === "draft" || r.status === "active");
  return (
    <Card title="Rollouts">
      {rollouts.length ? (
        <ul className="list-disc pl-5">
          {rollouts.map((r) => (
            <li key={r.id}>
              <Link href={`/rollouts/${r.id}`}>{r.name}</Link> <Badge>{r.status}</Badge>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm">No rollout yet.</p>
      )}
      {canPlanRollout && !openRollout && builds.length ? (
        <p className="mt-3">
          <Link href={`/rollouts/new?update=${update.slug}`}>Plan a rollout</Link>
        </p>
      ) : null}
      {canPlanRollout && builds.length === 0 ? <p className="mt-3 text-sm">Add a build before planning a rollout.</p> : null}
    </Card>
  );
}

function BuildTable({ detail }: { detail: UpdateDetail }) {
  if (detail.builds.length === 0) return <p className="text-sm">No builds yet.</p>;
  return (
    <Table caption={`Builds of ${detail.update.title}`}>
      <thead>
        <tr>
          <Th>Build</Th>
          <Th>Version</Th>
          <Th>Kind</Th>
          <Th>Released</Th>
        </tr>
      </thead>
      <tbody>
        {detail.builds.map((b) => (
          <tr key={b.id}>
            <Td>{b.name}</Td>
            <Td className="font-mono">{b.version}</Td>
            <Td>{b.kind === "rc" ? "Release candidate" : "Final"}</Td>
            <Td>{formatDate(b.releasedAt)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

const longDate = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

function ReleaseTimeline({ history }: { history: UpdateDetail["releaseHistory"] }) {
  if (history.length === 0) return <p className="text-sm">No planned date yet.</p>;
  return (
    <ol className="relative space-y-4 border-l-2 border-slate-300 pl-4 dark:border-slate-700" aria-label="Planned release date history">
      {history.map((slip, i) => (
        <li key={`${slip.recordedAt}-${i}`}>
          <p className="font-medium">
            {i === 0 ? "Planned for " : "Slipped to "}
            <time dateTime={slip.plannedDate}>{longDate(slip.plannedDate)}</time>
          </p>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Recorded {formatDate(slip.recordedAt)}
            {slip.note ? ` — ${slip.note}` : ""}
          </p>
        </li>
      ))}
    </ol>
  );
}

function AdoptionBreakdown({ title, column, rows }: { title: string; column: string; rows: UpdateDetail["byOs"] }) {
  return (
    <Card title={title} className="min-w-0">
      {rows.length ? (
        <Table caption={title}>
          <thead>
            <tr>
              <Th>{column}</Th>
              <Th numeric>Installed</Th>
              <Th numeric>In scope</Th>
              <Th numeric>Not applicable</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <Td>{r.label}</Td>
                <Td numeric>{formatNumber(r.installed)}</Td>
                <Td numeric>{formatNumber(r.inScope)}</Td>
                <Td numeric>{formatNumber(r.notApplicable)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm">No deployments yet.</p>
      )}
    </Card>
  );
}

/** The adoption charts; their read starts with the page's and streams in behind the skeleton. */
export async function UpdateChartsSection({ slug, dashboard }: { slug: string; dashboard: Promise<UpdateDashboard> }) {
  return <UpdateCharts slug={slug} initial={await dashboard} />;
}

export function UpdateChartsSkeleton() {
  return (
    <div className="space-y-3">
      <LoadingStatus what="the adoption charts" />
      <CardSkeleton height={620} />
    </div>
  );
}
