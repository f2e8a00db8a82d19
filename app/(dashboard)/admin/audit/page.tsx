import Link from "next/link";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditValue } from "@/components/admin/audit-value";
import { inputClass, secondaryButtonClass } from "@/components/admin/form-styles";
import { Card } from "@/components/ui/card";
import { auditActions, listAuditEntries, parseAuditFilter, type AuditFilter } from "@/lib/audit/queries";
import { requirePageAction } from "@/lib/auth/session";

export const metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

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
            <label className="text-sm">
              Actor
              <input name="actor" defaultValue={filter.actor ?? ""} placeholder="email or token:name" className={inputClass} />
            </label>
            <label className="text-sm">
              Action
              <input name="action" list="audit-actions" defaultValue={filter.action ?? ""} placeholder="user.set_role" className={inputClass} />
              <datalist id="audit-actions">
                {actions.map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
            </label>
            <label className="text-sm">
              Target
              <input name="target" defaultValue={filter.target ?? ""} placeholder="user:12" className={inputClass} />
            </label>
            <label className="text-sm">
              From
              <input name="from" type="date" defaultValue={filter.from ?? ""} className={inputClass} />
            </label>
            <label className="text-sm">
              To
              <input name="to" type="date" defaultValue={filter.to ?? ""} className={inputClass} />
            </label>
            <div className="flex items-end gap-2">
              <button type="submit" className={secondaryButtonClass}>
                Apply
              </button>
              <Link href="/admin/audit" className="text-sm">
                Clear
              </Link>
            </div>
          </form>
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold">Entries</h2>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Audit entries, newest first</caption>
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="col" className="py-2 pr-4">When (UTC)</th>
                  <th scope="col" className="py-2 pr-4">Who</th>
                  <th scope="col" className="py-2 pr-4">Action</th>
                  <th scope="col" className="py-2 pr-4">Target</th>
                  <th scope="col" className="py-2 pr-4">Before</th>
                  <th scope="col" className="py-2 pr-4">After</th>
                  <th scope="col" className="py-2">From</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid="audit-row">
                    <td className="py-2 pr-4 whitespace-nowrap">{row.at.toISOString().slice(0, 19).replace("T", " ")}</td>
                    <td className="py-2 pr-4">
                      <Link href={hrefWith(filter, { actor: row.actorLabel, before: undefined })}>{row.actorLabel}</Link>
                    </td>
                    <td className="py-2 pr-4">
                      <Link href={hrefWith(filter, { action: row.action, before: undefined })}>{row.action}</Link>
                    </td>
                    <td className="py-2 pr-4 whitespace-nowrap">
                      {row.targetId ? (
                        <Link href={hrefWith(filter, { target: `${row.targetType}:${row.targetId}`, before: undefined })}>
                          {row.targetType}:{row.targetId}
                        </Link>
                      ) : (
                        row.targetType
                      )}
                    </td>
                    <td className="py-2 pr-4"><AuditValue value={row.before} /></td>
                    <td className="py-2 pr-4"><AuditValue value={row.after} /></td>
                    <td className="py-2">{row.ip ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {rows.length === 0 ? <p className="py-4 text-slate-600 dark:text-slate-300">No entries match.</p> : null}
          </div>
          <nav aria-label="Pages" className="mt-4 flex gap-4 text-sm">
            {filter.before ? <Link href={hrefWith(filter, { before: undefined })}>Newest</Link> : null}
            {nextBefore ? <Link href={hrefWith(filter, { before: nextBefore })}>Older entries</Link> : null}
          </nav>
        </Card>
      </div>
    </div>
  );
}
