import Link from "next/link";
import { Suspense } from "react";
import { CardSkeleton, LoadingStatus } from "@/components/dashboards/skeletons";
import { UpdateCharts } from "@/components/dashboards/update-charts";
import { Badge } from "@/components/ui/badge";
import { Card, Stat } from "@/components/ui/card";
import { AddBuildForm, SlipForm } from "@/components/updates/build-and-slip-forms";
import { formatBytes, formatDate, pct, tableClass } from "@/components/updates/format";
import { can } from "@/lib/auth/permissions";
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

export default async function UpdatePage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await getPageActor();
  const { slug } = await params;
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
      {update.description ? <p className="max-w-3xl whitespace-pre-line">{update.description}</p> : null}

      <div className="grid gap-4 sm:grid-cols-4">
        <Stat label="Installed" value={detail.adoption.installed.toLocaleString("en")} hint={`${pct(detail.adoption.installedPct)} of ${detail.adoption.inScope.toLocaleString("en")} in scope`} />
        <Stat label="Failed or rolled back" value={detail.adoption.failed.toLocaleString("en")} />
        <Stat label="Not applicable" value={detail.adoption.notApplicable.toLocaleString("en")} hint="Nothing to install; compliant" />
        <Stat label="Planned release" value={update.plannedReleaseDate ?? "–"} />
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
        <Card title="Builds">
          {detail.builds.length ? (
            <table className={tableClass}>
              <caption className="sr-only">Builds of {update.title}</caption>
              <thead>
                <tr>
                  <th scope="col">Build</th>
                  <th scope="col">Version</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Released</th>
                </tr>
              </thead>
              <tbody>
                {detail.builds.map((b) => (
                  <tr key={b.id}>
                    <td>{b.name}</td>
                    <td className="font-mono">{b.version}</td>
                    <td>{b.kind === "rc" ? "Release candidate" : "Final"}</td>
                    <td>{formatDate(b.releasedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="text-sm">No builds yet.</p>
          )}
          {editor ? (
            <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
              <AddBuildForm action={addBuildAction.bind(null, slug)} />
            </div>
          ) : null}
        </Card>

        <Card title="Release timeline">
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
          <Card key={title} title={title}>
            {rows.length ? (
              <table className={tableClass}>
                <caption className="sr-only">{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{title.endsWith("system") ? "OS" : "Site"}</th>
                    <th scope="col">Installed</th>
                    <th scope="col">In scope</th>
                    <th scope="col">Not applicable</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.label}>
                      <td>{r.label}</td>
                      <td className="tabular-nums">{r.installed.toLocaleString("en")}</td>
                      <td className="tabular-nums">{r.inScope.toLocaleString("en")}</td>
                      <td className="tabular-nums">{r.notApplicable.toLocaleString("en")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="text-sm">No deployments yet.</p>
            )}
          </Card>
        ))}
      </div>
    </div>
  );
}
