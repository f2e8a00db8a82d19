// The known-issue page: header, texts, vendor fixes, impact per wave (streamed: pass it in its own
// Suspense), the editor's forms, helpdesk reports and the history. The page reads; this renders.
import Link from "next/link";
import { CardSkeleton, LoadingStatus } from "@/components/dashboards/skeletons";
import { Markdown } from "@/components/markdown/markdown";
import { Card } from "@/components/ui/card";
import { formatDate, formatDateTime, NONE } from "@/lib/format";
import type { FormState } from "@/lib/forms/form-state";
import { isResolved, SEVERITIES, STATUS_LABELS, TRANSITIONS } from "@/lib/known-issues/lifecycle";
import type { ImpactDevice, IssueImpact, KnownIssueDetail } from "@/lib/known-issues/types";
import { FIX_LINK_TYPES } from "@/lib/known-issues/validation";
import { HoldBadge, SeverityBadge, StatusBadge } from "./badges";
import { FixLinkList } from "./fix-links";
import { AddFixLinkForm, EditIssueForm, HoldForm, RemoveFixLinkButton, ReportForm, StatusForm } from "./forms";
import { HistoryList } from "./history-list";
import { ImpactDeviceList, IssueImpactTable } from "./impact-table";
import { ReportList } from "./reports-list";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

/** The page's server actions, bound to the issue (the fix-link removal also to the link). */
export type KnownIssueActions = {
  changeStatus: Action;
  setHold: Action;
  edit: Action;
  addFixLink: Action;
  removeFixLink: (linkId: number) => Action;
};

type ViewProps = {
  issue: KnownIssueDetail;
  /** The streamed impact section (`<Suspense><IssueImpactSection …/></Suspense>`). */
  impact: React.ReactNode;
  /** Null when the reader may not change the issue. */
  editorActions: KnownIssueActions | null;
  /** Null when the reader may not file helpdesk reports. */
  reportAction: Action | null;
  /** The caller's machine, filled into the report form (from a device page's "File a report"). */
  reportHostname: string;
};

export function KnownIssueView({ issue, impact, editorActions, reportAction, reportHostname }: ViewProps) {
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/known-issues">← Known issues</Link>
      </p>
      <IssueHeader issue={issue} />
      <IssueTexts issue={issue} actions={editorActions} />
      <section aria-labelledby="impact-heading" id="impact">
        <Card>
          <h2 id="impact-heading" className="mb-3 text-base font-semibold">
            Impact per wave
          </h2>
          {impact}
        </Card>
      </section>
      {editorActions ? <ManageIssue issue={issue} actions={editorActions} /> : null}
      <section aria-labelledby="reports-heading" id="report">
        <Card>
          <h2 id="reports-heading" className="mb-3 text-base font-semibold">
            Helpdesk reports
          </h2>
          <ReportList total={issue.reports.total} items={issue.reports.items} />
          {reportAction ? (
            <div className="mt-4">
              <ReportForm action={reportAction} defaultHostname={reportHostname} />
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

function IssueHeader({ issue }: { issue: KnownIssueDetail }) {
  return (
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
          {issue.resolvingKb ?? (issue.resolvingUpdate ? null : NONE)}
        </dd>
        <dt className="font-medium">Affected platforms</dt>
        <dd>{issue.affectedPlatforms.join(", ") || NONE}</dd>
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
            NONE
          )}
        </dd>
        <dt className="font-medium">Opened · updated</dt>
        <dd>
          {formatDateTime(issue.createdAt)} · {formatDateTime(issue.updatedAt)}
          {issue.resolvedAt ? ` · resolved ${formatDate(issue.resolvedAt)}` : ""}
        </dd>
      </dl>
    </header>
  );
}

function IssueTexts({ issue, actions }: { issue: KnownIssueDetail; actions: KnownIssueActions | null }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card title="Symptoms">{issue.symptoms ? <Markdown>{issue.symptoms}</Markdown> : <p className="text-sm">Not described yet.</p>}</Card>
      <Card title="Workaround">{issue.workaround ? <Markdown>{issue.workaround}</Markdown> : <p className="text-sm">None yet.</p>}</Card>
      {issue.resolution || isResolved(issue.status) ? (
        <Card title="Resolution">{issue.resolution ? <Markdown>{issue.resolution}</Markdown> : <p className="text-sm">See the history note.</p>}</Card>
      ) : null}
      <Card title="Vendor fixes">
        <FixLinkList links={issue.fixLinks} renderRemove={actions ? (link) => <RemoveFixLinkButton action={actions.removeFixLink(link.id)} title={link.title} /> : undefined} />
        {actions ? (
          <details className="mt-4">
            <summary className="cursor-pointer text-sm font-medium">Add a vendor fix</summary>
            <div className="mt-3">
              <AddFixLinkForm action={actions.addFixLink} types={[...FIX_LINK_TYPES]} />
            </div>
          </details>
        ) : null}
      </Card>
    </div>
  );
}

function ManageIssue({ issue, actions }: { issue: KnownIssueDetail; actions: KnownIssueActions }) {
  return (
    <section aria-labelledby="manage-heading">
      <Card>
        <h2 id="manage-heading" className="mb-3 text-base font-semibold">
          Manage
        </h2>
        <div className="grid gap-6 md:grid-cols-2">
          <StatusForm action={actions.changeStatus} next={TRANSITIONS[issue.status].map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
          <HoldForm action={actions.setHold} on={issue.safeguardHold} heldDevices={issue.heldDevices} />
        </div>
        <details className="mt-6">
          <summary className="cursor-pointer text-sm font-medium">Edit details</summary>
          <div className="mt-3">
            <EditIssueForm
              action={actions.edit}
              severities={[...SEVERITIES]}
              issue={{
                title: issue.title,
                severity: issue.severity,
                symptoms: issue.symptoms,
                workaround: issue.workaround,
                resolution: issue.resolution,
                originKb: issue.originKb ?? "",
                resolvingKb: issue.resolvingKb ?? "",
                affectedPlatforms: issue.affectedPlatforms.join(", "),
                affectedApps: issue.affectedApps.map((a) => `${a.name} | ${a.versionRange}`).join("\n"),
                blocking: issue.blocking,
              }}
            />
          </div>
        </details>
      </Card>
    </section>
  );
}

/** What the impact section shows: the counts per wave and, when a wave is chosen, a page of its affected machines. */
export type IssueImpactData = {
  impact: IssueImpact;
  wave: { waveId: number; name: string; devices: { items: ImpactDevice[]; nextCursor: string | null } } | null;
};

/** The impact per wave; it matches deployments against app versions, so the page streams it in. */
export async function IssueImpactSection({ data, base, cursor }: { data: Promise<IssueImpactData>; base: string; cursor?: string }) {
  const { impact, wave } = await data;
  return (
    <>
      <IssueImpactTable impact={impact} selectedWave={wave?.waveId} hrefForWave={(w) => `${base}?wave=${w}#impact`} />
      {wave ? (
        <div className="mt-4">
          <ImpactDeviceList
            waveName={wave.name}
            items={wave.devices.items}
            nextHref={wave.devices.nextCursor ? `${base}?wave=${wave.waveId}&cursor=${encodeURIComponent(wave.devices.nextCursor)}#impact` : null}
            firstHref={cursor ? `${base}?wave=${wave.waveId}#impact` : null}
          />
        </div>
      ) : null}
    </>
  );
}

export function IssueImpactSkeleton() {
  return (
    <>
      <LoadingStatus what="the impact per wave" />
      <CardSkeleton height={120} />
    </>
  );
}
