import Link from "next/link";
import { AffectedAppMark, DeviceKnownIssues } from "@/components/known-issues/device-known-issues";
import { ReleaseHoldForm } from "@/components/devices/release-hold-form";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { STATE_LABELS } from "@/lib/deployments/states";
import { formatDateTime, NONE } from "@/lib/format";
import { getDevice } from "@/lib/devices/queries";
import { knownIssuesForDevice } from "@/lib/known-issues/queries";
import { notFoundOn404 } from "@/lib/rollouts/page-helpers";
import { releaseHoldAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ hostname: string }> }) {
  return { title: decodeURIComponent((await params).hostname) };
}

export default async function DevicePage({ params }: { params: Promise<{ hostname: string }> }) {
  const actor = await getPageActor();
  const hostname = decodeURIComponent((await params).hostname);
  const detail = await notFoundOn404(getDevice(actor, hostname));
  const issues = await knownIssuesForDevice(actor, detail.id);
  const { device } = detail;
  const mayRelease = can(actor, "rollout.write");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{device.hostname}</h1>
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium">Operating system</dt>
        <dd>
          {device.os} {device.osVersion}
        </dd>
        <dt className="font-medium">Site</dt>
        <dd>{device.site}</dd>
        <dt className="font-medium">Department</dt>
        <dd>{device.department ?? NONE}</dd>
        <dt className="font-medium">Delivery channel</dt>
        <dd>{device.channel.replace(/_/g, " ")}</dd>
        <dt className="font-medium">Tags</dt>
        <dd>{device.tags.join(", ") || NONE}</dd>
        <dt className="font-medium">Last seen in inventory</dt>
        <dd>{formatDateTime(device.lastSeenAt)}</dd>
        <dt className="font-medium">Last reported</dt>
        <dd>{formatDateTime(device.lastReportedAt)}</dd>
      </dl>

      <Card title="Known issues that affect this machine" className="min-w-0">
        <DeviceKnownIssues issues={issues} hostname={device.hostname} canReport={can(actor, "helpdesk_report.create")} />
      </Card>

      <Card title="Deployments">
        {detail.deployments.length === 0 ? (
          <p className="text-sm">This device is in no rollout yet.</p>
        ) : (
          <ul className="space-y-3">
            {detail.deployments.map((d) => (
              <li key={d.update} className="rounded border border-slate-200 p-3 dark:border-slate-800">
                <div className="flex flex-wrap items-baseline gap-2">
                  <Link href={`/updates/${d.update}`} className="font-medium">
                    {d.updateTitle}
                  </Link>
                  <Badge tone={d.state === "installed" ? "good" : d.state === "failed" || d.state === "rolled_back" ? "bad" : d.state === "held" ? "warn" : "neutral"}>
                    {STATE_LABELS[d.state]}
                  </Badge>
                  {d.rolloutId ? (
                    <span className="text-sm">
                      <Link href={`/rollouts/${d.rolloutId}`}>{d.rolloutName}</Link>
                      {d.wave ? ` · ${d.wave} (${d.waveStatus})` : ""}
                    </span>
                  ) : null}
                  <span className="ml-auto text-sm">last report {formatDateTime(d.lastReportedAt)}</span>
                </div>
                {d.errorCode || d.message ? (
                  <p className="mt-1 text-sm">
                    {d.errorCode ? <code className="mr-2">{d.errorCode}</code> : null}
                    {d.message}
                  </p>
                ) : null}
                {d.alert ? (
                  <p className="mt-1 text-sm">
                    <strong>{d.alert.replace(/_/g, " ")}:</strong> {d.remedy}
                    {d.heldBy ? (
                      <>
                        {" "}
                        (<Link href={`/known-issues/${d.heldBy}`} className="underline">{d.heldBy}</Link>)
                      </>
                    ) : null}
                  </p>
                ) : null}
                {d.state === "held" && mayRelease ? <ReleaseHoldForm id={`release-${d.update}`} action={releaseHoldAction.bind(null, device.hostname, d.update)} /> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="Installed apps" className="min-w-0">
        {device.apps.length ? (
          <Table caption="Installed apps">
            <thead>
              <tr>
                <Th>App</Th>
                <Th>Version</Th>
              </tr>
            </thead>
            <tbody>
              {device.apps.map((a) => (
                <tr key={a.name}>
                  <Td>
                    {a.name}
                    <AffectedAppMark issues={issues} app={a.name} />
                  </Td>
                  <Td className="font-mono">{a.version || NONE}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p className="text-sm">No apps reported.</p>
        )}
      </Card>

      <Card title="Event history (latest 100)">
        {detail.events.length ? (
          <Table caption="Status events reported for this device">
            <thead>
              <tr>
                <Th>Occurred</Th>
                <Th>Update</Th>
                <Th>State</Th>
                <Th>Error</Th>
                <Th>Message</Th>
                <Th>Source</Th>
              </tr>
            </thead>
            <tbody>
              {detail.events.map((e) => (
                <tr key={e.id}>
                  <Td>{formatDateTime(e.occurredAt)}</Td>
                  <Td>{e.update}</Td>
                  <Td>{STATE_LABELS[e.state]}</Td>
                  <Td>{e.errorCode ? <code>{e.errorCode}</code> : NONE}</Td>
                  <Td>{e.message ?? ""}</Td>
                  <Td>{e.source}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p className="text-sm">No reports yet.</p>
        )}
      </Card>
    </div>
  );
}
