import Link from "next/link";
import type { HelpdeskReport } from "@/lib/known-issues/types";
import { formatDateTime } from "@/lib/format";

export function ReportList({ total, items }: { total: number; items: HelpdeskReport[] }) {
  return (
    <div>
      <p className="mb-2 text-sm" data-testid="report-count">
        {total === 0 ? "No helpdesk reports yet." : `${total} helpdesk report${total === 1 ? "" : "s"}${total > items.length ? ` (latest ${items.length} shown)` : ""}.`}
      </p>
      {items.length ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Helpdesk reports linked to this issue</caption>
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-800">
                <th scope="col" className="py-2 pr-4">Ticket</th>
                <th scope="col" className="py-2 pr-4">Device</th>
                <th scope="col" className="py-2 pr-4">Note</th>
                <th scope="col" className="py-2 pr-4">By</th>
                <th scope="col" className="py-2">When</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid="report-row">
                  <th scope="row" className="py-2 pr-4 font-normal">{r.ticketRef}</th>
                  <td className="py-2 pr-4">{r.hostname ? <Link href={`/devices/${encodeURIComponent(r.hostname)}`}>{r.hostname}</Link> : "—"}</td>
                  <td className="py-2 pr-4 whitespace-pre-line break-words">{r.note || "—"}</td>
                  <td className="py-2 pr-4">{r.reportedBy ?? "—"}</td>
                  <td className="py-2 whitespace-nowrap">{formatDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
