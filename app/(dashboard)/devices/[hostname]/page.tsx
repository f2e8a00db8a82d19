import { DeviceView } from "@/components/devices/device-view";
import { can } from "@/lib/auth/permissions";
import { getPageActor } from "@/lib/auth/session";
import { getDevice } from "@/lib/devices/queries";
import { knownIssuesForHostname } from "@/lib/known-issues/queries";
import { deviceMediaJourneys } from "@/lib/rollouts/media";
import { notFoundOn404 } from "@/lib/rollouts/page-helpers";
import { releaseHoldAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ hostname: string }> }) {
  return { title: decodeURIComponent((await params).hostname) };
}

export default async function DevicePage({ params }: { params: Promise<{ hostname: string }> }) {
  const actor = await getPageActor();
  const hostname = decodeURIComponent((await params).hostname);
  // The machine and the known issues that affect it are read at the same time (by hostname).
  const [detail, issues, media] = await Promise.all([notFoundOn404(getDevice(actor, hostname)), knownIssuesForHostname(actor, hostname), deviceMediaJourneys(actor, hostname)]);
  const bound = detail.device.hostname;
  return (
    <DeviceView
      detail={detail}
      issues={issues ?? []}
      canReport={can(actor, "helpdesk_report.create")}
      media={media}
      releaseHold={can(actor, "rollout.write") ? (update) => releaseHoldAction.bind(null, bound, update) : null}
    />
  );
}
