// The device page: the machine's inventory facts, the known issues that affect it (first: that is
// what a helpdesk caller needs), its deployments, installed apps and event history. The page reads;
// this renders.
import Link from "next/link";
import { AffectedAppMark, DeviceKnownIssues } from "@/components/known-issues/device-known-issues";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { STATE_LABELS } from "@/lib/deployments/states";
import type { DeviceDetail } from "@/lib/devices/queries";
import { formatDate, formatDateTime, NONE } from "@/lib/format";
import type { FormState } from "@/lib/forms/form-state";
import type { DeviceKnownIssue } from "@/lib/known-issues/types";
import type { DeviceMediaJourney } from "@/lib/rollouts/media";
import { MediaJourneys } from "./media-journey";
import { ReleaseHoldForm } from "./release-hold-form";

type Action = (state: FormState, form: FormData) => Promise<FormState>;
type Deployment = DeviceDetail["deployments"][number];

type ViewProps = {
  detail: DeviceDetail;
  issues: DeviceKnownIssue[];
  /** May the reader file helpdesk reports from the known issues. */
  canReport: boolean;
  /** The hold release bound to this machine and an update; null when the reader may not release holds. */
  releaseHold: ((update: string) => Action) | null;
  /** The machine's offline-media journeys (none for a machine on the network channel). */
  media?: DeviceMediaJourney[];
};

export function DeviceView({ detail, issues, canReport, releaseHold, media = [] }: ViewProps) {
  const { device } = detail;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{device.hostname}</h1>
      <DeviceFacts device={device} deployments={detail.deployments} />
      <Card title="Known issues that affect this machine" className="min-w-0">
        <DeviceKnownIssues issues={issues} hostname={device.hostname} canReport={canReport} />
      </Card>
      <Card title="Deployments">
        <DeploymentList deployments={detail.deployments} releaseHold={releaseHold} />
      </Card>
      {media.length ? (
        <Card title="Offline media" className="min-w-0">
          <MediaJourneys journeys={media} />
        </Card>
      ) : null}
      <Card title="Installed apps" className="min-w-0">
        <InstalledApps apps={device.apps} issues={issues} />
      </Card>
      <Card title="Event history (latest 100)">
        <EventHistory events={detail.events} />
      </Card>
    </div>
  );
}

/**
 * The inventory's facts. Its OS is what the last inventory import said: a machine that has since
 * installed a service pack of its OS still reads the old one there, so the page says whose word
 * each is (issue #16 item 15).
 */
function DeviceFacts({ device, deployments }: { device: DeviceDetail["device"]; deployments: Deployment[] }) {
  const osUpgrades = deployments.filter((d) => d.upgradesOperatingSystem && d.state === "installed");
  return (
    <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
      <dt className="font-medium">Operating system</dt>
      <dd data-testid="device-os">
        <p>
          {device.os} {device.osVersion}
          <span className="text-slate-600 dark:text-slate-300">
            {" "}
            — as last imported from inventory{device.lastSeenAt ? ` on ${formatDate(device.lastSeenAt)}` : ""}
          </span>
        </p>
        {osUpgrades.map((d) => (
          <p key={d.update}>
            <Link href={`/updates/${d.update}`}>{d.updateTitle}</Link> installed {formatDate(d.installedAt)}, reported by the distribution tool
          </p>
        ))}
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
  );
}

const stateTone = (state: Deployment["state"]) =>
  state === "installed" ? "good" : state === "failed" || state === "rolled_back" ? "bad" : state === "held" ? "warn" : "neutral";

function DeploymentList({ deployments, releaseHold }: { deployments: Deployment[]; releaseHold: ViewProps["releaseHold"] }) {
  if (deployments.length === 0) return <p className="text-sm">This device is in no rollout yet.</p>;
  return (
    <ul className="space-y-3">
      {deployments.map((d) => (
        <li key={d.update} className="rounded border border-slate-200 p-3 dark:border-slate-800">
          <div className="flex flex-wrap items-baseline gap-2">
            <Link href={`/updates/${d.update}`} className="font-medium">
              {d.updateTitle}
            </Link>
            <Badge tone={stateTone(d.state)}>{STATE_LABELS[d.state]}</Badge>
            {d.behind ? <Badge tone="warn">installed, behind</Badge> : null}
            <span className="text-sm" data-testid="deployment-build">
              build {d.build ? `${d.build.name} (${d.build.version})` : "not known"}
              {d.behind && d.targetBuild ? ` · its wave targets ${d.targetBuild}` : ""}
            </span>
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
                  (
                  <Link href={`/known-issues/${d.heldBy}`} className="underline">
                    {d.heldBy}
                  </Link>
                  )
                </>
              ) : null}
            </p>
          ) : null}
          {d.state === "held" && releaseHold ? <ReleaseHoldForm id={`release-${d.update}`} action={releaseHold(d.update)} /> : null}
        </li>
      ))}
    </ul>
  );
}

function InstalledApps({ apps, issues }: { apps: DeviceDetail["device"]["apps"]; issues: DeviceKnownIssue[] }) {
  if (apps.length === 0) return <p className="text-sm">No apps reported.</p>;
  return (
    <Table caption="Installed apps">
      <thead>
        <tr>
          <Th>App</Th>
          <Th>Version</Th>
        </tr>
      </thead>
      <tbody>
        {apps.map((a) => (
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
  );
}

function EventHistory({ events }: { events: DeviceDetail["events"] }) {
  if (events.length === 0) return <p className="text-sm">No reports yet.</p>;
  return (
    <Table caption="Status events reported for this device">
      <thead>
        <tr>
          <Th>Occurred</Th>
          <Th>Update</Th>
          <Th>State</Th>
          <Th>Build</Th>
          <Th>Error</Th>
          <Th>Message</Th>
          <Th>Source</Th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <Td>{formatDateTime(e.occurredAt)}</Td>
            <Td>{e.update}</Td>
            <Td>{STATE_LABELS[e.state]}</Td>
            <Td>{e.build ?? NONE}</Td>
            <Td>{e.errorCode ? <code>{e.errorCode}</code> : NONE}</Td>
            <Td>{e.message ?? ""}</Td>
            <Td>{e.source}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
