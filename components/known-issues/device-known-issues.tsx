import Link from "next/link";
import { Markdown } from "@/components/markdown/markdown";
import { buttonClass } from "@/components/ui/button-styles";
import type { DeviceKnownIssue } from "@/lib/known-issues/types";
import { HoldBadge, SeverityBadge, StatusBadge } from "./badges";
import { FixLinkList } from "./fix-links";

/** The issue's report form with this machine filled in (the page reads `hostname`). */
export function reportHref(advisoryId: string, hostname: string): string {
  return `/known-issues/${advisoryId}?hostname=${encodeURIComponent(hostname)}#report`;
}

/**
 * "Known issues that affect this machine" for the device page: pass it
 * `await knownIssuesForDevice(actor, device.id)` (lib/known-issues/queries.ts). Helpdesk, editors
 * and admins (`canReport`) file a report from here: the issue's form opens with the hostname in.
 */
export function DeviceKnownIssues({ issues, hostname, canReport = false }: { issues: DeviceKnownIssue[]; hostname: string; canReport?: boolean }) {
  if (issues.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">No known issue matches the apps on {hostname}.</p>;
  return (
    <ul className="space-y-4" aria-label={`Known issues that affect ${hostname}`}>
      {issues.map((issue) => (
        <li key={issue.advisoryId} className="rounded border border-slate-200 p-3 dark:border-slate-800" data-testid="device-known-issue">
          <div className="flex flex-wrap items-center gap-2">
            <Link href={`/known-issues/${issue.advisoryId}`} className="font-mono">
              {issue.advisoryId}
            </Link>
            <Link href={`/known-issues/${issue.advisoryId}`} className="font-medium">
              {issue.title}
            </Link>
            <StatusBadge status={issue.status} />
            <SeverityBadge severity={issue.severity} />
            {issue.heldByThisIssue ? <HoldBadge /> : null}
            {canReport ? (
              <Link
                href={reportHref(issue.advisoryId, hostname)}
                className={`ml-auto no-underline ${buttonClass("secondary")}`}
                aria-label={`File a report for ${issue.advisoryId} on ${hostname}`}
              >
                File a report
              </Link>
            ) : null}
          </div>
          <p className="mt-1 text-sm">
            Because of {issue.matchedApps.map((a) => `${a.name} ${a.version}`).join(", ")} · {issue.update.title}
            {issue.deploymentState ? ` (${issue.deploymentState.replace(/_/g, " ")} here)` : " (not planned here yet)"}
            {issue.reportsForDevice ? ` · ${issue.reportsForDevice} helpdesk report${issue.reportsForDevice === 1 ? "" : "s"} for this machine` : ""}
          </p>
          {issue.workaround ? (
            <div className="mt-2 text-sm">
              <span className="font-medium">Workaround: </span>
              <Markdown>{issue.workaround}</Markdown>
            </div>
          ) : null}
          <div className="mt-2">
            <FixLinkList links={issue.fixLinks} />
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Next to an app in the device's Installed apps: the known issues that match it ("affected by RC-0001"). */
export function AffectedAppMark({ issues, app }: { issues: DeviceKnownIssue[]; app: string }) {
  const matching = issues.filter((issue) => issue.matchedApps.some((a) => a.name.toLowerCase() === app.toLowerCase()));
  if (matching.length === 0) return null;
  return (
    <span className="ml-2 inline-flex flex-wrap items-center gap-1 text-xs font-medium text-amber-900 dark:text-amber-200" data-testid="affected-app">
      <span aria-hidden="true">⚠</span>
      affected by{" "}
      {matching.map((issue, i) => (
        <span key={issue.advisoryId}>
          {i > 0 ? ", " : null}
          <Link href={`/known-issues/${issue.advisoryId}`}>{issue.advisoryId}</Link>
        </span>
      ))}
    </span>
  );
}
