import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDateTime, NONE } from "@/lib/format";
import type { HelpdeskReport } from "@/lib/known-issues/types";

export function ReportList({ total, items }: { total: number; items: HelpdeskReport[] }) {
  return (
    <div>
      <p className="mb-2 text-sm" data-testid="report-count">
        {total === 0 ? "No helpdesk reports yet." : `${total} helpdesk report${total === 1 ? "" : "s"}${total > items.length ? ` (latest ${items.length} shown)` : ""}.`}
      </p>
      {items.length ? (
        <Table caption="Helpdesk reports linked to this issue">
          <thead>
            <tr>
              <Th>Ticket</Th>
              <Th>Device</Th>
              <Th>Note</Th>
              <Th>By</Th>
              <Th>When</Th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} className="align-top" data-testid="report-row">
                <th scope="row">{r.ticketRef}</th>
                <Td>{r.hostname ? <Link href={`/devices/${encodeURIComponent(r.hostname)}`}>{r.hostname}</Link> : NONE}</Td>
                <Td className="whitespace-pre-line break-words">{r.note || NONE}</Td>
                <Td>{r.reportedBy ?? NONE}</Td>
                <Td className="whitespace-nowrap">{formatDateTime(r.createdAt)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </div>
  );
}
