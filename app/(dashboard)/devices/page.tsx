import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { STATE_LABELS, DEPLOYMENT_STATES } from "@/lib/deployments/states";
import { formatDateTime, NONE } from "@/lib/format";
import { deviceFilterOptions, listDevices, type DeviceFilter } from "@/lib/devices/queries";
import { notFoundOn404, textSearchParams } from "@/lib/rollouts/page-helpers";
import type { SearchParams } from "@/lib/http/query";

export const metadata = { title: "Devices" };

const selectClass = "mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900";

const FILTER_KEYS = ["q", "site", "department", "os", "channel", "tag", "state", "update", "build", "wave", "silent", "cursor"] as const;

export default async function DevicesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await getPageActor();
  const params = await textSearchParams(searchParams, FILTER_KEYS);
  const [options, page] = await Promise.all([deviceFilterOptions(actor), notFoundOn404(listDevices(actor, params as DeviceFilter))]);
  const { cursor: _cursor, ...filters } = params;
  void _cursor;
  const nextHref = page.nextCursor ? `/devices?${new URLSearchParams({ ...filters, cursor: page.nextCursor })}` : null;
  const select = (name: string, label: string, values: { value: string; label: string }[]) => (
    <div>
      <label htmlFor={`f-${name}`} className="block text-sm font-medium">
        {label}
      </label>
      <select id={`f-${name}`} name={name} defaultValue={params[name] ?? ""} className={selectClass}>
        <option value="">Any</option>
        {values.map((v) => (
          <option key={v.value} value={v.value}>
            {v.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Devices</h1>
        <Link href="/devices/sites">Sites and departments</Link>
        {can(actor, "inventory.write") ? <Link href="/devices/import">Import from CSV</Link> : null}
      </div>
      <form method="get" action="/devices" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-5 dark:border-slate-800 dark:bg-slate-900" aria-label="Filter devices">
        <div>
          <label htmlFor="f-q" className="block text-sm font-medium">
            Hostname contains
          </label>
          <input id="f-q" name="q" defaultValue={params.q ?? ""} className={selectClass} />
        </div>
        {select("site", "Site", options.sites.map((s) => ({ value: s.name, label: s.name })))}
        {select("department", "Department", options.departments.map((d) => ({ value: d.name, label: d.name })))}
        {select("os", "Operating system", options.osNames.map((o) => ({ value: o, label: o })))}
        {select("channel", "Delivery channel", [
          { value: "network", label: "Network" },
          { value: "offline_media", label: "Offline media" },
          { value: "technician", label: "Technician" },
        ])}
        {select("tag", "Tag", options.tags.map((t) => ({ value: t, label: t })))}
        {select("update", "Update", options.updates.map((u) => ({ value: u.slug, label: u.title })))}
        {select("state", "Deployment state", DEPLOYMENT_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] })))}
        <div>
          <label htmlFor="f-build" className="block text-sm font-medium">
            Build (name or version)
          </label>
          <input id="f-build" name="build" defaultValue={params.build ?? ""} placeholder="e.g. RC2" className={selectClass} />
        </div>
        {params.wave ? <input type="hidden" name="wave" value={params.wave} /> : null}
        <div className="flex items-end gap-2">
          <input id="f-silent" type="checkbox" name="silent" value="1" defaultChecked={params.silent === "1"} className="mb-2 h-4 w-4" />
          <label htmlFor="f-silent" className="mb-1 text-sm font-medium">
            Silent only (with an update: no report for the rollout&apos;s silent days)
          </label>
        </div>
        <div className="flex items-end gap-3">
          <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800">
            Filter
          </button>
          <Link href="/devices">Clear</Link>
        </div>
      </form>
      {page.items.length === 0 ? (
        <EmptyState>No devices match.</EmptyState>
      ) : (
        <Card>
          <Table caption="Devices, sorted by hostname">
            <thead>
              <tr>
                <Th>Hostname</Th>
                <Th>OS</Th>
                <Th>Site</Th>
                <Th>Department</Th>
                <Th>Channel</Th>
                <Th>Tags</Th>
                {page.update ? <Th>State ({page.update.slug})</Th> : null}
                {page.update ? <Th>Build</Th> : null}
                <Th>Last reported</Th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((d) => (
                <tr key={d.hostname}>
                  <Td>
                    <Link href={`/devices/${encodeURIComponent(d.hostname)}`}>{d.hostname}</Link>
                  </Td>
                  <Td>
                    {d.os} {d.osVersion}
                  </Td>
                  <Td>{d.site}</Td>
                  <Td>{d.department ?? NONE}</Td>
                  <Td>{d.channel.replace(/_/g, " ")}</Td>
                  <Td>{d.tags.join(", ")}</Td>
                  {page.update ? <Td>{d.state ? <Badge>{STATE_LABELS[d.state as keyof typeof STATE_LABELS] ?? d.state}</Badge> : NONE}</Td> : null}
                  {page.update ? <Td>{d.build ?? NONE}</Td> : null}
                  <Td>{formatDateTime(d.lastReportedAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <nav aria-label="Pages" className="mt-3 flex gap-4">
            {params.cursor ? <Link href={`/devices?${new URLSearchParams(filters)}`}>First page</Link> : null}
            {nextHref ? <Link href={nextHref}>Next 100</Link> : null}
          </nav>
        </Card>
      )}
    </div>
  );
}
