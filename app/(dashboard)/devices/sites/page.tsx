import { DepartmentForm, SiteForm } from "@/components/devices/site-forms";
import { Table, Td, Th } from "@/components/ui/table";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { listSites } from "@/lib/devices/sites";
import { createDepartmentAction, createSiteAction } from "../actions";

export const metadata = { title: "Sites and departments" };

export default async function SitesPage() {
  const actor = await getPageActor();
  const { sites, departments } = await listSites(actor);
  const editor = can(actor, "inventory.write");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Sites and departments</h1>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Sites" className="min-w-0">
          <Table caption="Sites">
            <thead>
              <tr>
                <Th>Site</Th>
                <Th>Kind</Th>
                <Th numeric>WAN link</Th>
                <Th numeric>Devices</Th>
              </tr>
            </thead>
            <tbody>
              {sites.map((s) => (
                <tr key={s.id}>
                  <Td>{s.name}</Td>
                  <Td>{s.kind}</Td>
                  <Td numeric>{s.linkKbps ? `${s.linkKbps.toLocaleString("en")} kbit/s` : "unknown"}</Td>
                  <Td numeric>{Number(s.devices).toLocaleString("en")}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {editor ? (
            <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
              <SiteForm action={createSiteAction} />
            </div>
          ) : null}
        </Card>
        <Card title="Departments" className="min-w-0">
          <Table caption="Departments">
            <thead>
              <tr>
                <Th>Department</Th>
                <Th numeric>Devices</Th>
              </tr>
            </thead>
            <tbody>
              {departments.map((d) => (
                <tr key={d.id}>
                  <Td>{d.name}</Td>
                  <Td numeric>{Number(d.devices).toLocaleString("en")}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {editor ? (
            <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
              <DepartmentForm action={createDepartmentAction} />
            </div>
          ) : null}
        </Card>
      </div>
    </div>
  );
}
