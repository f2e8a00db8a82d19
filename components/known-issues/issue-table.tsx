import Link from "next/link";
import type { KnownIssueListItem } from "@/lib/known-issues/types";
import { HoldBadge, SeverityBadge, StatusBadge } from "./badges";
import { formatDate } from "@/lib/format";

export function KnownIssueTable({ items, caption }: { items: KnownIssueListItem[]; caption: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th scope="col" className="py-2 pr-4">Advisory</th>
            <th scope="col" className="py-2 pr-4">Title</th>
            <th scope="col" className="py-2 pr-4">Status</th>
            <th scope="col" className="py-2 pr-4">Severity</th>
            <th scope="col" className="py-2 pr-4">Update</th>
            <th scope="col" className="py-2 pr-4">Affected apps</th>
            <th scope="col" className="py-2 pr-4 text-right">Reports</th>
            <th scope="col" className="py-2">Updated</th>
          </tr>
        </thead>
        <tbody>
          {items.map((issue) => (
            <tr key={issue.advisoryId} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid="known-issue-row">
              <td className="py-2 pr-4 font-mono whitespace-nowrap">
                <Link href={`/known-issues/${issue.advisoryId}`}>{issue.advisoryId}</Link>
              </td>
              <th scope="row" className="py-2 pr-4 font-normal">
                <Link href={`/known-issues/${issue.advisoryId}`}>{issue.title}</Link>
                {issue.safeguardHold ? (
                  <span className="ml-2">
                    <HoldBadge />
                  </span>
                ) : null}
              </th>
              <td className="py-2 pr-4 whitespace-nowrap">
                <StatusBadge status={issue.status} />
              </td>
              <td className="py-2 pr-4">
                <SeverityBadge severity={issue.severity} />
              </td>
              <td className="py-2 pr-4">{issue.update.title}</td>
              <td className="py-2 pr-4">{issue.affectedApps.map((a) => `${a.name} ${a.versionRange}`).join("; ") || "—"}</td>
              <td className="py-2 pr-4 text-right tabular-nums">{issue.reportCount}</td>
              <td className="py-2 whitespace-nowrap">{formatDate(issue.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
