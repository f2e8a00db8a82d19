// Deployments and their events: what happened on each machine, planned (pure, deterministic)
// before anything is written. The steps draw from one random source in a fixed order, so the same
// `now` always tells the same story.
import type { DeploymentState } from "../../schema";
import type { Rng } from "../rng";
import { SP2_BUILDS, UPDATES, type UpdateKey } from "./catalog";
import { PILOT_SIZE, type DevicePlan } from "./inventory";
import { DAY, HOUR, MB, MINUTE, type Alert } from "./scenario";

export type EventPlan = {
  state: DeploymentState;
  at: Date;
  errorCode?: string | null;
  alert?: Alert | null;
  message?: string | null;
  /** The build the report is about (a build name of the deployment's update); absent: none named. */
  build?: string;
};

export type IssueKey = "crm" | "firewall" | "rc2";
export type DeploymentPlan = {
  device: DevicePlan;
  update: UpdateKey;
  /** Wave position in the SP2 rollout; null when outside any wave. */
  wave: number | null;
  inRollout: boolean;
  events: EventPlan[];
  heldBy?: IssueKey;
  /** An editor released this device from the issue's safeguard hold. */
  releasedFrom?: { issue: IssueKey; at: Date; reason: string };
};

export const FAILURES: readonly (readonly [{ errorCode: string; alert: Alert | null; message: string; stage: "download" | "install" }, number])[] = [
  [{ errorCode: "0x80070005", alert: null, message: "Access is denied: setup could not replace a file held open by another program", stage: "install" }, 4],
  [{ errorCode: "0x8007000E", alert: null, message: "Not enough memory to complete setup", stage: "install" }, 2],
  [{ errorCode: "0x80240022", alert: null, message: "The update failed to install (WU_E_ALL_UPDATES_FAILED)", stage: "install" }, 3],
  [{ errorCode: "0x80070070", alert: "disk_full", message: "There is not enough space on the system drive (setup needs about 1.8 GB)", stage: "install" }, 4],
  [{ errorCode: "0x80072EE2", alert: "download_timeout", message: "The download from the distribution point timed out", stage: "download" }, 3],
];

/** The CD-ROMs posted to home workers, in two batches (issue #21): the first long enough ago that a few are overdue. */
export const MEDIA_BATCHES: readonly { name: string; carrier: string; shippedAt: (now: Date) => Date }[] = [
  { name: "HOME-CD-01", carrier: "Royal Mail recorded", shippedAt: (now: Date) => new Date(now.getTime() - 20 * DAY - 6 * HOUR) },
  { name: "HOME-CD-02", carrier: "Royal Mail recorded", shippedAt: (now: Date) => new Date(now.getTime() - 6 * DAY - 5 * HOUR) },
];

/** Every sixth machine of the first batch had its disc's arrival confirmed two days after it was posted. */
export const confirmsEarly = (batchIndex: number) => batchIndex % 6 === 0;

type Failure = (typeof FAILURES)[number][0];
type Outcome = "downloading" | "installing" | "reboot_required" | "installed" | "failed" | "rolled_back";

/** The clock, the random source and the installation steps every planning step shares. */
type Planner = {
  rng: Rng;
  now: Date;
  T: number;
  at: (ms: number) => Date;
  ago: (days: number) => number;
  source: (d: DevicePlan) => string | null;
  attempt: (d: DevicePlan, t0: number, build: (typeof SP2_BUILDS)[number], outcome: Outcome, failure?: Failure) => EventPlan[];
};

function planner(rng: Rng, now: Date): Planner {
  const T = now.getTime();
  const at = (ms: number) => new Date(Math.round(ms / 1000) * 1000);
  const ago = (days: number) => T - days * DAY;
  const sizeMb = Math.round(UPDATES.sp2.sizeBytes! / MB);

  const source = (d: DevicePlan) => (d.channel === "network" ? d.site.distributionPoint : d.channel === "offline_media" ? "CD-ROM" : "a technician's CD-ROM");
  /** One installation attempt from `t0`; ends in `outcome`. Steps are minutes apart, in order. */
  const attempt: Planner["attempt"] = (d, t0, build, outcome, failure) => {
    const label = `Windows XP SP2 ${build.name} (${build.version})`;
    const events: EventPlan[] = [{ state: "downloading", at: at(t0), message: `Downloading ${label}, ${sizeMb} MB from ${source(d)}` }];
    // Every report of the attempt names its build, as the distribution tool sends it.
    const named = () => events.map((e) => ({ ...e, build: build.name }));
    let t = t0 + rng.int(8, 40) * MINUTE;
    if (outcome === "downloading") return named();
    if (outcome === "failed" && failure?.stage === "download") {
      events.push({ state: "failed", at: at(t + rng.int(30, 90) * MINUTE), errorCode: failure.errorCode, alert: failure.alert, message: failure.message });
      return named();
    }
    events.push({ state: "installing", at: at(t), message: `Installing ${label}` });
    t += rng.int(15, 45) * MINUTE;
    if (outcome === "installing") return named();
    if (outcome === "failed") {
      events.push({ state: "failed", at: at(t), errorCode: failure!.errorCode, alert: failure!.alert, message: failure!.message });
      return named();
    }
    events.push({ state: "reboot_required", at: at(t), message: "Setup finished; restart required" });
    if (outcome === "reboot_required") return named();
    t += rng.weighted([[rng.int(2, 30), 3], [rng.int(60, 16 * 60), 1]] as const) * MINUTE;
    if (outcome === "rolled_back") {
      events.push({ state: "rolled_back", at: at(t), errorCode: failure?.errorCode ?? null, alert: "rollback_initiated", message: failure?.message ?? "Setup rolled the machine back to its previous state" });
      return named();
    }
    events.push({ state: "installed", at: at(t), message: `${label} installed` });
    return named();
  };
  return { rng, now, T, at, ago, source, attempt };
}

/** Every deployment of the demo: the SP2 rollout, then the smaller catalog updates; events end before `now`. */
export function planDeployments(rng: Rng, devices: DevicePlan[], now: Date): DeploymentPlan[] {
  const p = planner(rng, now);
  const plans = planSp2Deployments(p, devices);
  plans.push(...planCatalogDeployments(p, devices));
  settleReportTimes(plans, devices, p.T);
  return plans;
}

/** SP2 on every machine: Windows 2000 is not applicable; XP machines follow their wave. */
function planSp2Deployments(p: Planner, devices: DevicePlan[]): DeploymentPlan[] {
  const { rng, at, ago } = p;
  const plans: DeploymentPlan[] = [];
  const hq = { rolledBack: 0 };
  let releasedOne = false;
  const pilot = { stayedOnRc2: 0 };
  for (const d of devices) {
    const base = { device: d, update: "sp2" as const, inRollout: true };
    if (d.osName === "Windows 2000") {
      plans.push({ ...base, wave: null, events: [{ state: "not_applicable", at: at(ago(74) + rng.int(0, 600) * MINUTE), message: "Windows XP Service Pack 2 does not apply to Windows 2000 (5.0 SP4)" }] });
      continue;
    }
    const wave = d.tags.includes("pilot") ? 0 : d.site.kind === "hq" ? 1 : d.site.kind === "branch" ? 2 : 3;
    const holdPlaced = ago(43) + rng.int(0, 120) * MINUTE;
    const held: EventPlan = { state: "held", at: at(holdPlaced), alert: "safeguard_hold", message: "Safeguard hold SH-2004-07 (RC-0003): Intel Application Accelerator 2.3 is installed" };

    if (wave === 0) {
      plans.push({ ...base, wave, ...planPilotDeployment(p, d, held, pilot) });
      continue;
    }
    if (d.apps.iaa) {
      if (wave === 2 && !releasedOne) {
        releasedOne = true;
        plans.push({ ...base, wave, ...planReleasedDeployment(p, held) });
        continue;
      }
      plans.push({ ...base, wave, events: [held], heldBy: "rc2" });
      continue;
    }
    if (wave === 1) {
      plans.push({ ...base, wave, events: planHqDeployment(p, d, hq) });
      continue;
    }
    if (wave === 2) {
      plans.push({ ...base, wave, events: [] });
      continue;
    }
    plans.push({ ...base, wave, events: planHomeDeployment(p, d) });
  }
  return plans;
}

/** IT workstations still on RC2 after the final build was released: installed, behind the wave's target. */
export const PILOT_STILL_ON_RC2 = 3;

/**
 * The pilot ran RC1, then RC2, then the final build: "if we have issues with RC2, better it happens to us".
 * The first few pilot machines without a held app never took the final build (installed, behind).
 */
function planPilotDeployment(p: Planner, d: DevicePlan, held: EventPlan, pilot: { stayedOnRc2: number }): Pick<DeploymentPlan, "events" | "heldBy"> {
  const { rng, at, ago, attempt } = p;
  const [rc1, rc2, final] = SP2_BUILDS;
  const events = [...attempt(d, ago(72) + rng.int(0, 2 * 24 * 60) * MINUTE, rc1, "installed")];
  if (d.apps.iaa) {
    events.push(...attempt(d, ago(50) + rng.int(0, 12 * 60) * MINUTE, rc2, "rolled_back", {
      errorCode: "0x0000007E",
      alert: "rollback_initiated",
      message: "STOP 0x0000007E at the first restart after RC2; setup rolled back to SP1",
      stage: "install",
    }));
    events.push(held);
    return { events, heldBy: "rc2" };
  }
  events.push(...attempt(d, ago(49) + rng.int(0, 2 * 24 * 60) * MINUTE, rc2, "installed"));
  if (d.apps.crm) {
    // RC-0001 held the CRM machines back from the final build until the vendor fix came out.
    events.push({ state: "held", at: at(ago(45) + rng.int(0, 60) * MINUTE), alert: "safeguard_hold", message: "Safeguard hold SH-2004-06 (RC-0001): CRM Sales for Outlook 1.2 is installed" });
    events.push(...attempt(d, ago(17) + rng.int(0, 20 * 60) * MINUTE, final, "installed"));
    return { events };
  }
  const finalStart = ago(29) + rng.int(0, 36 * 60) * MINUTE;
  const finalEvents: EventPlan[] = [];
  if (rng.chance(0.08)) {
    finalEvents.push(...attempt(d, finalStart, final, "failed", FAILURES[1][0]));
    finalEvents.push(...attempt(d, finalStart + rng.int(20, 30) * HOUR, final, "installed"));
  } else {
    finalEvents.push(...attempt(d, finalStart, final, "installed"));
  }
  // Planned either way, so the random source moves on exactly as before and the rest of the story stays the same.
  if (pilot.stayedOnRc2 < PILOT_STILL_ON_RC2) {
    pilot.stayedOnRc2++;
    return { events };
  }
  events.push(...finalEvents);
  return { events };
}

/** An editor may release a single device: this one was checked with Intel's updated driver. */
function planReleasedDeployment(p: Planner, held: EventPlan): Pick<DeploymentPlan, "events" | "releasedFrom"> {
  const reason = "Intel Application Accelerator updated to 3.0 and tested with SP2 in the lab.";
  const releasedAt = p.at(p.ago(3) + p.rng.int(0, 120) * MINUTE);
  return {
    events: [held, { state: "pending", at: releasedAt, message: `Released from safeguard hold SH-2004-07: ${reason}` }],
    releasedFrom: { issue: "rc2", at: releasedAt, reason },
  };
}

/** Headquarters, the wave in progress: mostly installed, some still on their way, a few failed. */
function planHqDeployment(p: Planner, d: DevicePlan, hq: { rolledBack: number }): EventPlan[] {
  const { rng, at, ago, attempt, T } = p;
  const final = SP2_BUILDS[2];
  // The first two machines with the Sygate firewall rolled back: that is how RC-0002 was found.
  if (d.apps.sygate && hq.rolledBack < 2) {
    hq.rolledBack++;
    return attempt(d, ago(12) + rng.int(0, 8 * 60) * MINUTE, final, "rolled_back", {
      errorCode: "0x800F0922",
      alert: "rollback_initiated",
      message: "Network stack failed to start after the restart (Sygate Personal Firewall 5.5); setup rolled back",
      stage: "install",
    });
  }
  const outcome = rng.weighted([
    ["installed", 76],
    ["reboot_required", 5],
    ["installing", 2],
    ["downloading", 3],
    ["scheduled", 4],
    ["pending", 6],
    ["failed", 2.5],
    ["deferred", 1.5],
  ] as const);
  // Earlier days of the wave took most machines: an adoption curve, not a flat line.
  const finishedStart = () => ago(14) + Math.pow(rng.next(), 1.6) * (13 * DAY);
  switch (outcome) {
    case "pending":
      return [];
    case "scheduled":
      return [{ state: "scheduled", at: at(ago(1) + rng.int(0, 18 * 60) * MINUTE), message: "Scheduled for tonight's maintenance window (22:00–04:00)" }];
    case "deferred":
      return [{ state: "deferred", at: at(ago(3) + rng.int(0, 24 * 60) * MINUTE), message: "Deferred by the user until after the month-end close" }];
    case "installed":
      return attempt(d, finishedStart(), final, "installed");
    case "failed": {
      const failure = rng.weighted(FAILURES);
      const first = attempt(d, finishedStart(), final, "failed", failure);
      // Some were retried the next day and failed the same way.
      const retryAt = first.at(-1)!.at.getTime() + rng.int(18, 30) * HOUR;
      return rng.chance(0.4) && retryAt < T - 3 * HOUR ? [...first, ...attempt(d, retryAt, final, "failed", failure)] : first;
    }
    case "reboot_required":
      return attempt(d, ago(2) + rng.int(0, 30 * 60) * MINUTE, final, outcome);
    default:
      return attempt(d, T - rng.int(2 * 60, 8 * 60) * MINUTE, final, outcome);
  }
}

/**
 * Home workers: CD-ROMs posted to part of them ahead of the wave, the rest wait. The wave has not
 * started (it starts 56 days after the release), so no disc has been installed yet (issue #18).
 */
function planHomeDeployment(p: Planner, d: DevicePlan): EventPlan[] {
  const { rng, at, now } = p;
  const batch = d.channel === "offline_media" ? rng.weighted([[MEDIA_BATCHES[0], 3], [MEDIA_BATCHES[1], 2], [null, 5]]) : null;
  if (!batch) return [];
  const posted = batch.shippedAt(now).getTime();
  return [{ state: "scheduled", at: at(posted + rng.int(0, 90) * MINUTE), message: `CD-ROM posted in batch ${batch.name}; installs when the wave starts` }];
}

/** A richer catalog: smaller updates with a few deployments each (no rollout). */
function planCatalogDeployments(p: Planner, devices: DevicePlan[]): DeploymentPlan[] {
  const { rng, ago } = p;
  const plans: DeploymentPlan[] = [];
  for (const d of devices) {
    const hqNo = d.site.kind === "hq" ? Number(d.hostname.slice(-4)) : 0;
    if (d.osName === "Windows XP" && d.tags.includes("pilot")) {
      plans.push({ device: d, update: "ie", wave: null, inRollout: false, events: simpleInstall(p, d, "MS04-025", ago(35), 2 * DAY, "installed") });
    }
    if (d.apps.office2003 && d.site.kind === "hq" && (d.department === "Finance" || d.department === "IT")) {
      const outcome = rng.weighted([["installed", 85], ["failed", 4], ["pending", 11]] as const);
      plans.push({
        device: d,
        update: "office",
        wave: null,
        inRollout: false,
        events: outcome === "pending" ? [] : simpleInstall(p, d, "Office 2003 SP1", ago(20), 12 * DAY, outcome),
      });
    }
    if (d.hostname.startsWith("HQ-WS-") && hqNo > PILOT_SIZE && hqNo <= PILOT_SIZE + 60) {
      const outcome = rng.weighted([["installed", 70], ["failed", 5], ["pending", 25]] as const);
      plans.push({
        device: d,
        update: "nic",
        wave: null,
        inRollout: false,
        events: outcome === "pending" ? [] : simpleInstall(p, d, "Intel PRO/100 VE driver 7.1", ago(9), 6 * DAY, outcome),
      });
    }
  }
  return plans;
}

/** The other updates have one build each, "Final" (OTHER_BUILDS); their reports name it. */
function simpleInstall(p: Planner, d: DevicePlan, label: string, from: number, spread: number, outcome: "installed" | "failed"): EventPlan[] {
  const { rng, at, source } = p;
  const t0 = from + rng.next() * spread;
  const events: EventPlan[] = [
    { state: "downloading", at: at(t0), message: `Downloading ${label} from ${source(d)}` },
    { state: "installing", at: at(t0 + rng.int(2, 10) * MINUTE), message: `Installing ${label}` },
  ];
  const end = t0 + rng.int(12, 30) * MINUTE;
  events.push(
    outcome === "installed"
      ? { state: "installed", at: at(end), message: `${label} installed` }
      : { state: "failed", at: at(end), errorCode: "0x80070643", message: "Fatal error during installation (0x80070643)" },
  );
  return events.map((e) => ({ ...e, build: "Final" }));
}

/** Every deployment's events run forward in time and end before `now`; the device's last report is its latest event. */
function settleReportTimes(plans: DeploymentPlan[], devices: DevicePlan[], T: number): void {
  for (const plan of plans) {
    for (let i = 0; i < plan.events.length; i++) {
      const e = plan.events[i];
      if (e.at.getTime() > T || (i > 0 && e.at.getTime() <= plan.events[i - 1].at.getTime())) {
        throw new Error(`demo seed: events of ${plan.device.hostname}/${plan.update} are out of order`);
      }
    }
    const last = plan.events.at(-1)?.at;
    if (last && (!plan.device.lastReportedAt || last > plan.device.lastReportedAt)) plan.device.lastReportedAt = last;
  }
  for (const d of devices) {
    if (d.lastReportedAt && d.lastSeenAt! < d.lastReportedAt) d.lastSeenAt = d.lastReportedAt;
  }
}
