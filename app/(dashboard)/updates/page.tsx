import Link from "next/link";
import { Card, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { formatBytes, formatDate, formatNumber, formatPercent, NONE } from "@/lib/format";
import { PageLinks } from "@/components/ui/page-links";
import { textSearchParams } from "@/lib/rollouts/page-helpers";
import type { SearchParams } from "@/lib/http/query";
import { listUpdatesPage } from "@/lib/updates/catalog";

export const metadata = { title: "Updates" };

export const dynamic = "force-dynamic";

export default async function UpdatesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await getPageActor();
  const { cursor, before } = await textSearchParams(searchParams);
  const page = await listUpdatesPage(actor, { cursor, before });
  const items = page.items;
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
          <Table caption="Updates in the catalog">
            <thead>
              <tr>
                <Th>Update</Th>
                <Th>Vendor</Th>
                <Th>Kind</Th>
                <Th numeric>Size</Th>
                <Th>Builds</Th>
                <Th>Planned release</Th>
                <Th numeric>Installed</Th>
              </tr>
            </thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.slug}>
                  <Td>
                    <Link href={`/updates/${u.slug}`}>{u.title}</Link>
                    {u.kb ? <span className="ml-2 text-xs text-slate-600 dark:text-slate-300">{u.kb}</span> : null}
                  </Td>
                  <Td>{u.vendor}</Td>
                  <Td>{u.kind.replace(/_/g, " ")}</Td>
                  <Td numeric>{formatBytes(u.sizeBytes)}</Td>
                  <Td>{u.builds.map((b) => b.name).join(", ") || NONE}</Td>
                  <Td>{formatDate(u.plannedReleaseDate)}</Td>
                  <Td numeric>
                    {formatNumber(u.adoption.installed)} of {formatNumber(u.adoption.inScope)} ({formatPercent(u.adoption.installedPct)})
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <PageLinks path="/updates" nextCursor={page.nextCursor} prevCursor={page.prevCursor} />
        </Card>
      )}
    </div>
  );
}
