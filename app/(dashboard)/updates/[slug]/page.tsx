import Link from "next/link";
import { Suspense } from "react";
import { CardSkeleton, LoadingStatus } from "@/components/dashboards/skeletons";
import { UpdateCharts } from "@/components/dashboards/update-charts";
import { Markdown } from "@/components/markdown/markdown";
import { Badge } from "@/components/ui/badge";
import { Banner } from "@/components/ui/feedback";
import { Card, Stat } from "@/components/ui/card";
import { AddBuildForm, SlipForm } from "@/components/updates/build-and-slip-forms";
import { Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { formatBytes, formatDate, formatNumber, formatPercent } from "@/lib/format";
import { getPageActor } from "@/lib/auth/session";
import { notFoundOn404 } from "@/lib/rollouts/page-helpers";
import { getUpdate } from "@/lib/updates/catalog";
import { getUpdateDashboard, type UpdateDashboard } from "@/lib/dashboards/queries";
import { addBuildAction, recordSlipAction } from "../actions";

/** The charts stream in behind a skeleton; their reads start with the page's, not after them. */
async function UpdateChartsData({ slug, dashboard }: { slug: string; dashboard: Promise<UpdateDashboard> }) {
  return <UpdateCharts slug={slug} initial={await dashboard} />;
}

function UpdateChartsSkeleton() {
  return (
    <div className="space-y-3">
      <LoadingStatus what="the adoption charts" />
      <CardSkeleton height={620} />
    </div>
  );
}

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ created?: string | string[] }> };

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return { title: `Update ${decodeURIComponent(slug)}` };
}

export default async function UpdatePage({ params, searchParams }: Props) {
  const actor = await getPageActor();
  const { slug } = await params;
  const created = (await searchParams).created === "1";
  const dashboard = notFoundOn404(getUpdateDashboard(actor, slug));
  // An unknown update answers 404 from getUpdate below, before anything streams; the charts' read
  // fails the same way and nothing awaits it then.
  dashboard.catch(() => undefined);
  const detail = await notFoundOn404(getUpdate(actor, slug));
  const { update } = detail;
  const editor = can(actor, "update.write");
  const openRollout = detail.rollouts.find((r) => r.status === "draft" || r.status === "active");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">{update.title}</h1>
        <Badge>{update.kind.replace(/_/g, " ")}</Badge>
        {update.kb ? <Badge tone="info">{update.kb}</Badge> : null}
        {editor ? (
          <Link href={`/updates/${slug}/edit`} className="ml-auto">
            Edit
          </Link>
        ) : null}
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {update.vendor} · {update.product} · {formatBytes(update.sizeBytes)} · applies to {update.applicableOsNames.length ? update.applicableOsNames.join(", ") : "every OS"}
        {update.vendorStatus ? ` · ${update.vendorStatus}` : ""}
      </p>
      {created ? (
        <Banner tone="success" className="max-w-3xl">
          <p role="status">Update created. Add its builds and release-date history below, then plan a rollout.</p>
        </Banner>
      ) : null}
      {update.description ? <Markdown className="max-w-3xl">{update.description}</Markdown> : null}

      <div className="grid gap-4 sm:grid-cols-4">
        <Stat label="Installed" value={formatNumber(detail.adoption.installed)} hint={`${formatPercent(detail.adoption.installedPct)} of ${formatNumber(detail.adoption.inScope)} in scope`} />
        <Stat label="Failed or rolled back" value={formatNumber(detail.adoption.failed)} />
        <Stat label="Not applicable" value={formatNumber(detail.adoption.notApplicable)} hint="Nothing to install; compliant" />
        <Stat label="Planned release" value={formatDate(update.plannedReleaseDate)} />
      </div>

      <Suspense fallback={<UpdateChartsSkeleton />}>
        <UpdateChartsData slug={slug} dashboard={dashboard} />
      </Suspense>

      <Card title="Rollouts">
        {detail.rollouts.length ? (
          <ul className="list-disc pl-5">
            {detail.rollouts.map((r) => (
              <li key={r.id}>
                <Link href={`/rollouts/${r.id}`}>{r.name}</Link> <Badge>{r.status}</Badge>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm">No rollout yet.</p>
        )}
        {can(actor, "rollout.write") && !openRollout && detail.builds.length ? (
          <p className="mt-3">
            <Link href={`/rollouts/new?update=${slug}`}>Plan a rollout</Link>
          </p>
        ) : null}
        {can(actor, "rollout.write") && detail.builds.length === 0 ? <p className="mt-3 text-sm">Add a build before planning a rollout.</p> : null}
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Builds" className="min-w-0">
          {detail.builds.length ? (
            <Table caption={`Builds of ${update.title}`}>
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
          ) : (
            <p className="text-sm">No builds yet.</p>
          )}
          {editor ? (
            <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
              <AddBuildForm action={addBuildAction.bind(null, slug)} />
            </div>
          ) : null}
        </Card>

        <Card title="Release timeline" className="min-w-0">
          {detail.releaseHistory.length ? (
            <ol className="relative space-y-4 border-l-2 border-slate-300 pl-4 dark:border-slate-700" aria-label="Planned release date history">
              {detail.releaseHistory.map((slip, i) => (
                <li key={`${slip.recordedAt}-${i}`}>
                  <p className="font-medium">
                    {i === 0 ? "Planned for " : "Slipped to "}
                    <time dateTime={slip.plannedDate}>{new Date(`${slip.plannedDate}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })}</time>
                  </p>
                  <p className="text-sm text-slate-700 dark:text-slate-300">
                    Recorded {formatDate(slip.recordedAt)}
                    {slip.note ? ` — ${slip.note}` : ""}
                  </p>
                </li>
              ))}
            </ol>
          ) : (
            <p className="text-sm">No planned date yet.</p>
          )}
          {editor ? (
            <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
              <SlipForm action={recordSlipAction.bind(null, slug)} current={update.plannedReleaseDate} />
            </div>
          ) : null}
        </Card>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        {[
          { title: "Adoption by operating system", rows: detail.byOs },
          { title: "Adoption by site", rows: detail.bySite },
        ].map(({ title, rows }) => (
          <Card key={title} title={title} className="min-w-0">
            {rows.length ? (
              <Table caption={title}>
                <thead>
                  <tr>
                    <Th>{title.endsWith("system") ? "OS" : "Site"}</Th>
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
        ))}
      </div>
    </div>
  );
}
