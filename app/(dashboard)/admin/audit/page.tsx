import Link from "next/link";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditValue } from "@/components/admin/audit-value";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/form-field";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { auditActions, listAuditEntries, parseAuditFilter, type AuditFilter } from "@/lib/audit/queries";
import { requirePageAction } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import type { SearchParams } from "@/lib/http/query";

export const metadata = { title: "Audit log" };

type Props = { searchParams: Promise<SearchParams> };

function hrefWith(filter: Partial<AuditFilter>, changes: Partial<AuditFilter>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, ...changes })) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `/admin/audit?${query}` : "/admin/audit";
}

export default async function AdminAuditPage({ searchParams }: Props) {
  const actor = await requirePageAction("audit.read");
  const filter = parseAuditFilter(await searchParams);
  const [{ rows, nextBefore }, actions] = await Promise.all([listAuditEntries(actor, filter), auditActions(actor)]);
  return (
    <div>
      <AdminNav current="/admin/audit" />
      <div className="space-y-6">
        <Card>
          <h2 className="mb-3 text-base font-semibold">Filter</h2>
          <form action="/admin/audit" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
            <TextField id="audit-actor" name="actor" label="Actor" defaultValue={filter.actor} placeholder="email or token:name" />
            <div>
              <TextField id="audit-action" name="action" label="Action" list="audit-actions" defaultValue={filter.action} placeholder="user.set_role" />
              <datalist id="audit-actions">
                {actions.map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
            </div>
            <TextField id="audit-target" name="target" label="Target" defaultValue={filter.target} placeholder="user:12" />
            <TextField id="audit-from" name="from" label="From" type="date" defaultValue={filter.from} />
            <TextField id="audit-to" name="to" label="To" type="date" defaultValue={filter.to} />
            <div className="flex items-end gap-2">
              <Button type="submit" variant="secondary">
                Apply
              </Button>
              <Link href="/admin/audit" className="text-sm">
                Clear
              </Link>
            </div>
          </form>
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold">Entries</h2>
          <Table caption="Audit entries, newest first">
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Who</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>Before</Th>
                <Th>After</Th>
                <Th>From</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className="align-top" data-testid="audit-row">
                  <Td className="whitespace-nowrap">
                    <time dateTime={row.at.toISOString()} title={row.at.toISOString()}>
                      {formatDateTime(row.at)}
                    </time>
                  </Td>
                  <Td>
                    <Link href={hrefWith(filter, { actor: row.actorLabel, before: undefined })}>{row.actorLabel}</Link>
                  </Td>
                  <Td>
                    <Link href={hrefWith(filter, { action: row.action, before: undefined })}>{row.action}</Link>
                  </Td>
                  <Td className="whitespace-nowrap">
                    {row.targetId ? (
                      <Link href={hrefWith(filter, { target: `${row.targetType}:${row.targetId}`, before: undefined })}>
                        {row.targetType}:{row.targetId}
                      </Link>
                    ) : (
                      row.targetType
                    )}
                  </Td>
                  <Td>
                    <AuditValue value={row.before} />
                  </Td>
                  <Td>
                    <AuditValue value={row.after} />
                  </Td>
                  <Td>{row.ip ?? "—"}</Td>
                </tr>
              ))}
              {rows.length === 0 ? <EmptyRow columns={7}>No entries match.</EmptyRow> : null}
            </tbody>
          </Table>
          <nav aria-label="Pages" className="mt-4 flex gap-4 text-sm">
            {filter.before ? <Link href={hrefWith(filter, { before: undefined })}>Newest</Link> : null}
            {nextBefore ? <Link href={hrefWith(filter, { before: nextBefore })}>Older entries</Link> : null}
          </nav>
        </Card>
      </div>
    </div>
  );
}
