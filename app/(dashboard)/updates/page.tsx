import Link from "next/link";
import { Card, EmptyState } from "@/components/ui/card";
import { formatBytes, pct, tableClass } from "@/components/updates/format";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { listUpdates } from "@/lib/updates/catalog";

export const metadata = { title: "Updates" };

export default async function UpdatesPage() {
  const actor = await getPageActor();
  const items = await listUpdates(actor);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Updates</h1>
        {can(actor, "update.write") ? (
          <Link href="/updates/new" className="ml-auto">
            New update
          </Link>
        ) : null}
      </div>
      {items.length === 0 ? (
        <EmptyState>No updates yet.</EmptyState>
      ) : (
        <Card>
          <table className={tableClass}>
            <caption className="sr-only">Updates in the catalog</caption>
            <thead>
              <tr>
                <th scope="col">Update</th>
                <th scope="col">Vendor</th>
                <th scope="col">Kind</th>
                <th scope="col">Size</th>
                <th scope="col">Builds</th>
                <th scope="col">Planned release</th>
                <th scope="col">Installed</th>
              </tr>
            </thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.slug}>
                  <td>
                    <Link href={`/updates/${u.slug}`}>{u.title}</Link>
                    {u.kb ? <span className="ml-2 text-xs text-slate-600 dark:text-slate-300">{u.kb}</span> : null}
                  </td>
                  <td>{u.vendor}</td>
                  <td>{u.kind.replace(/_/g, " ")}</td>
                  <td className="tabular-nums">{formatBytes(u.sizeBytes)}</td>
                  <td>{u.builds.map((b) => b.name).join(", ") || "–"}</td>
                  <td>{u.plannedReleaseDate ?? "–"}</td>
                  <td className="tabular-nums">
                    {u.adoption.installed.toLocaleString("en")} of {u.adoption.inScope.toLocaleString("en")} ({pct(u.adoption.installedPct)})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
