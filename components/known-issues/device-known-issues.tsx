import Link from "next/link";
import type { DeviceKnownIssue } from "@/lib/known-issues/types";
import { HoldBadge, SeverityBadge, StatusBadge } from "./badges";
import { FixLinkList } from "./fix-links";
import { Markdown } from "@/components/markdown/markdown";

/**
 * "Known issues that affect this machine" for the device page: pass it
 * `await knownIssuesForDevice(actor, device.id)` (lib/known-issues/queries.ts).
 */
export function DeviceKnownIssues({ issues, hostname }: { issues: DeviceKnownIssue[]; hostname: string }) {
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
