import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDate, NONE } from "@/lib/format";
import type { KnownIssueListItem } from "@/lib/known-issues/types";
import { HoldBadge, SeverityBadge, StatusBadge } from "./badges";

export function KnownIssueTable({ items, caption }: { items: KnownIssueListItem[]; caption: string }) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>Advisory</Th>
          <Th>Title</Th>
          <Th>Status</Th>
          <Th>Severity</Th>
          <Th>Update</Th>
          <Th>Affected apps</Th>
          <Th numeric>Reports</Th>
          <Th>Updated</Th>
        </tr>
      </thead>
      <tbody>
        {items.map((issue) => (
          <tr key={issue.advisoryId} className="align-top" data-testid="known-issue-row">
            <Td className="font-mono whitespace-nowrap">
              <Link href={`/known-issues/${issue.advisoryId}`}>{issue.advisoryId}</Link>
            </Td>
            <th scope="row">
              <Link href={`/known-issues/${issue.advisoryId}`}>{issue.title}</Link>
              {issue.safeguardHold ? (
                <span className="ml-2">
                  <HoldBadge />
                </span>
              ) : null}
            </th>
            <Td className="whitespace-nowrap">
              <StatusBadge status={issue.status} />
            </Td>
            <Td>
              <SeverityBadge severity={issue.severity} />
            </Td>
            <Td>{issue.update.title}</Td>
            <Td>{issue.affectedApps.map((a) => `${a.name} ${a.versionRange}`).join("; ") || NONE}</Td>
            <Td numeric>{issue.reportCount}</Td>
            <Td className="whitespace-nowrap">{formatDate(issue.updatedAt)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
