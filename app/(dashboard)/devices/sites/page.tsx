import { DepartmentForm, SiteForm } from "@/components/devices/site-forms";
import { tableClass } from "@/components/rollouts/format";
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
        <Card title="Sites">
          <table className={tableClass}>
            <caption className="sr-only">Sites</caption>
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">Kind</th>
                <th scope="col">WAN link</th>
                <th scope="col">Devices</th>
              </tr>
            </thead>
            <tbody>
              {sites.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>{s.kind}</td>
                  <td className="tabular-nums">{s.linkKbps ? `${s.linkKbps.toLocaleString("en")} kbit/s` : "unknown"}</td>
                  <td className="tabular-nums">{Number(s.devices).toLocaleString("en")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {editor ? (
            <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
              <SiteForm action={createSiteAction} />
            </div>
          ) : null}
        </Card>
        <Card title="Departments">
          <table className={tableClass}>
            <caption className="sr-only">Departments</caption>
            <thead>
              <tr>
                <th scope="col">Department</th>
                <th scope="col">Devices</th>
              </tr>
            </thead>
            <tbody>
              {departments.map((d) => (
                <tr key={d.id}>
                  <td>{d.name}</td>
                  <td className="tabular-nums">{Number(d.devices).toLocaleString("en")}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
