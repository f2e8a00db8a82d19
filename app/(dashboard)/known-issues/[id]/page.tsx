import Link from "next/link";
import { notFound } from "next/navigation";
import { HoldBadge, SeverityBadge, StatusBadge } from "@/components/known-issues/badges";
import { FixLinkList } from "@/components/known-issues/fix-links";
import { formatDate, formatDateTime } from "@/lib/format";
import { AddFixLinkForm, EditIssueForm, HoldForm, RemoveFixLinkButton, ReportForm, StatusForm } from "@/components/known-issues/forms";
import { HistoryList } from "@/components/known-issues/history-list";
import { ImpactDeviceList, IssueImpactTable } from "@/components/known-issues/impact-table";
import { ReportList } from "@/components/known-issues/reports-list";
import { Markdown } from "@/components/markdown/markdown";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { HttpError } from "@/lib/http/problem";
import { impactDevices, impactForIssue } from "@/lib/known-issues/impact";
import { isResolved, SEVERITIES, STATUS_LABELS, TRANSITIONS } from "@/lib/known-issues/lifecycle";
import { getKnownIssue } from "@/lib/known-issues/queries";
import { FIX_LINK_TYPES } from "@/lib/known-issues/validation";
import { addFixLinkAction, changeStatusAction, editIssueAction, removeFixLinkAction, reportAction, setHoldAction } from "../actions";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props) {
  const { id } = await params;
  return { title: id.toUpperCase() };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function KnownIssuePage({ params, searchParams }: Props) {
  const actor = await getPageActor();
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const issue = await getKnownIssue(actor, decodeURIComponent(id));
  if (!issue) notFound();

  const waveId = Number(one(query.wave)) || undefined;
  const cursor = one(query.cursor);
  const impact = await impactForIssue(actor, issue.advisoryId);
  const selectedWave = waveId ? impact.rollouts.flatMap((r) => r.waves).find((w) => w.waveId === waveId) : undefined;
  let devices = null;
  if (selectedWave) {
    try {
      devices = await impactDevices(actor, issue.advisoryId, { waveId: selectedWave.waveId, cursor, limit: 50 });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 400) throw error;
      devices = await impactDevices(actor, issue.advisoryId, { waveId: selectedWave.waveId, limit: 50 });
    }
  }
  const base = `/known-issues/${issue.advisoryId}`;
  const editor = can(actor, "known_issue.write");
  const canReport = can(actor, "helpdesk_report.create");

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/known-issues">← Known issues</Link>
      </p>
      <header className="space-y-2">
        <p className="font-mono text-sm text-slate-600 dark:text-slate-300">{issue.advisoryId}</p>
        <h1 className="text-2xl font-semibold break-words">{issue.title}</h1>
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={issue.status} />
          <SeverityBadge severity={issue.severity} />
          {issue.safeguardHold ? <HoldBadge id={issue.safeguardHoldId} /> : null}
        </div>
        <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">Update</dt>
          <dd>
            <Link href={`/updates/${issue.update.slug}`}>{issue.update.title}</Link>
            {issue.build ? ` · build ${issue.build.name}` : ""}
            {issue.originKb ? ` · ${issue.originKb}` : ""}
          </dd>
          <dt className="font-medium">Resolved by</dt>
          <dd>
            {issue.resolvingUpdate ? <Link href={`/updates/${issue.resolvingUpdate.slug}`}>{issue.resolvingUpdate.title}</Link> : null}
            {issue.resolvingUpdate && issue.resolvingKb ? " · " : null}
            {issue.resolvingKb ?? (issue.resolvingUpdate ? null : "—")}
          </dd>
          <dt className="font-medium">Affected platforms</dt>
          <dd>{issue.affectedPlatforms.join(", ") || "—"}</dd>
          <dt className="font-medium">Affected apps</dt>
          <dd>
            {issue.affectedApps.length ? (
              <ul>
                {issue.affectedApps.map((a) => (
                  <li key={`${a.name} ${a.versionRange}`}>
                    {a.name} <span className="font-mono">{a.versionRange}</span>
                  </li>
                ))}
              </ul>
            ) : (
              "—"
            )}
          </dd>
          <dt className="font-medium">Opened · updated</dt>
          <dd>
            {formatDateTime(issue.createdAt)} · {formatDateTime(issue.updatedAt)}
            {issue.resolvedAt ? ` · resolved ${formatDate(issue.resolvedAt)}` : ""}
          </dd>
        </dl>
      </header>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Symptoms">{issue.symptoms ? <Markdown>{issue.symptoms}</Markdown> : <p className="text-sm">Not described yet.</p>}</Card>
        <Card title="Workaround">{issue.workaround ? <Markdown>{issue.workaround}</Markdown> : <p className="text-sm">None yet.</p>}</Card>
        {issue.resolution || isResolved(issue.status) ? (
          <Card title="Resolution">{issue.resolution ? <Markdown>{issue.resolution}</Markdown> : <p className="text-sm">See the history note.</p>}</Card>
        ) : null}
        <Card title="Vendor fixes">
          <FixLinkList
            links={issue.fixLinks}
            renderRemove={editor ? (link) => <RemoveFixLinkButton action={removeFixLinkAction} advisoryId={issue.advisoryId} linkId={link.id} title={link.title} /> : undefined}
          />
          {editor ? (
            <details className="mt-4">
              <summary className="cursor-pointer text-sm font-medium">Add a vendor fix</summary>
              <div className="mt-3">
                <AddFixLinkForm action={addFixLinkAction} advisoryId={issue.advisoryId} types={FIX_LINK_TYPES.map((t) => ({ value: t, label: t }))} />
              </div>
            </details>
          ) : null}
        </Card>
      </div>

      <section aria-labelledby="impact-heading" id="impact">
        <Card>
          <h2 id="impact-heading" className="mb-3 text-base font-semibold">
            Impact per wave
          </h2>
          <IssueImpactTable impact={impact} selectedWave={selectedWave?.waveId} hrefForWave={(w) => `${base}?wave=${w}#impact`} />
          {selectedWave && devices ? (
            <div className="mt-4">
              <ImpactDeviceList
                waveName={selectedWave.name}
                items={devices.items}
                nextHref={devices.nextCursor ? `${base}?wave=${selectedWave.waveId}&cursor=${encodeURIComponent(devices.nextCursor)}#impact` : null}
                firstHref={cursor ? `${base}?wave=${selectedWave.waveId}#impact` : null}
              />
            </div>
          ) : null}
        </Card>
      </section>

      {editor ? (
        <section aria-labelledby="manage-heading">
          <Card>
            <h2 id="manage-heading" className="mb-3 text-base font-semibold">
              Manage
            </h2>
            <div className="grid gap-6 md:grid-cols-2">
              <StatusForm
                action={changeStatusAction}
                advisoryId={issue.advisoryId}
                next={TRANSITIONS[issue.status].map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
              />
              <HoldForm action={setHoldAction} advisoryId={issue.advisoryId} on={issue.safeguardHold} heldDevices={issue.heldDevices} />
            </div>
            <details className="mt-6">
              <summary className="cursor-pointer text-sm font-medium">Edit details</summary>
              <div className="mt-3">
                <EditIssueForm
                  action={editIssueAction}
                  severities={SEVERITIES.map((s) => ({ value: s, label: s }))}
                  issue={{
                    advisoryId: issue.advisoryId,
                    title: issue.title,
                    severity: issue.severity,
                    symptoms: issue.symptoms,
                    workaround: issue.workaround,
                    resolution: issue.resolution,
                    originKb: issue.originKb ?? "",
                    resolvingKb: issue.resolvingKb ?? "",
                    affectedPlatforms: issue.affectedPlatforms.join(", "),
                    affectedApps: issue.affectedApps.map((a) => `${a.name} | ${a.versionRange}`).join("\n"),
                  }}
                />
              </div>
            </details>
          </Card>
        </section>
      ) : null}

      <section aria-labelledby="reports-heading">
        <Card>
          <h2 id="reports-heading" className="mb-3 text-base font-semibold">
            Helpdesk reports
          </h2>
          <ReportList total={issue.reports.total} items={issue.reports.items} />
          {canReport ? (
            <div className="mt-4">
              <ReportForm action={reportAction} advisoryId={issue.advisoryId} defaultHostname={one(query.host) ?? ""} />
            </div>
          ) : null}
        </Card>
      </section>

      <section aria-labelledby="history-heading">
        <Card>
          <h2 id="history-heading" className="mb-3 text-base font-semibold">
            History
          </h2>
          <HistoryList entries={issue.history} />
        </Card>
      </section>
    </div>
  );
}
