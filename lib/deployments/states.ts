// The deployment state model: one place that says which states count as attempted, success,
// failure and in progress. Ingest, health gates, eligibility and every chart use it.
import { DEPLOYMENT_ALERTS, DEPLOYMENT_STATES, type DeploymentAlertValue, type DeploymentStateValue } from "@/db/enums";

export { DEPLOYMENT_STATES };
export type DeploymentState = DeploymentStateValue;

export type StateGroup = "compliant" | "success" | "failure" | "in_progress" | "waiting" | "out_of_scope";

/** Nothing to install counts as compliant, never as failure. */
export const OUT_OF_SCOPE_STATES: readonly DeploymentState[] = ["not_applicable", "excluded"];
export const WAITING_STATES: readonly DeploymentState[] = ["held", "pending", "scheduled", "deferred"];
export const IN_PROGRESS_STATES: readonly DeploymentState[] = ["downloading", "installing", "reboot_required"];
export const SUCCESS_STATES: readonly DeploymentState[] = ["installed"];
export const FAILURE_STATES: readonly DeploymentState[] = ["failed", "rolled_back"];
/** A device has attempted the update once it started downloading; the gate's "at least N attempted". */
export const ATTEMPTED_STATES: readonly DeploymentState[] = [...IN_PROGRESS_STATES, ...SUCCESS_STATES, ...FAILURE_STATES];
/** States that count towards compliance: installed, or nothing to install. */
export const COMPLIANT_STATES: readonly DeploymentState[] = ["installed", "not_applicable"];

export function stateGroup(state: DeploymentState): StateGroup {
  if (state === "not_applicable") return "compliant";
  if (state === "excluded") return "out_of_scope";
  if (SUCCESS_STATES.includes(state)) return "success";
  if (FAILURE_STATES.includes(state)) return "failure";
  if (IN_PROGRESS_STATES.includes(state)) return "in_progress";
  return "waiting";
}

export function isDeploymentState(value: string): value is DeploymentState {
  return (DEPLOYMENT_STATES as readonly string[]).includes(value);
}

export const STATE_LABELS: Record<DeploymentState, string> = {
  not_applicable: "Not applicable",
  excluded: "Excluded",
  held: "Held (safeguard)",
  pending: "Pending",
  scheduled: "Scheduled",
  downloading: "Downloading",
  installing: "Installing",
  reboot_required: "Reboot required",
  installed: "Installed",
  failed: "Failed",
  rolled_back: "Rolled back",
  deferred: "Deferred",
};

export const ALERTS = DEPLOYMENT_ALERTS;
export type DeploymentAlert = DeploymentAlertValue;

/** What IT should do about each alert; shown next to the alert on rollout and device pages. */
export const ALERT_REMEDIES: Record<DeploymentAlert, string> = {
  disk_full: "Free at least 1 GB on the system drive (empty temp folders, old user profiles), then retry.",
  download_timeout: "Check the link to the distribution point; retry outside office hours or from the local distribution point.",
  rollback_initiated: "Setup rolled the machine back. Collect setupapi.log and svcpack.log and check the known issues for this update.",
  unexpected_shutdown: "The machine lost power or was switched off during setup. Let it finish booting, then retry.",
  safeguard_hold: "A known issue holds this machine back. Wait for the hold to be lifted, or release it after checking the issue.",
  incompatible_app: "An installed application is known to break with this update. See the matching known issue for the fix.",
  network_unreachable: "The machine could not reach the distribution point. Check its network or ship offline media.",
  media_not_received: "Offline media has not arrived. Re-send the CD-ROM or ask the user to visit the nearest office.",
};

/** Counts per state → the numbers a gate and a progress bar need. */
export type StateCounts = Partial<Record<DeploymentState, number>>;

export function summarise(counts: StateCounts) {
  const sum = (states: readonly DeploymentState[]) => states.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const total = DEPLOYMENT_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const notApplicable = counts.not_applicable ?? 0;
  const excluded = counts.excluded ?? 0;
  const inScope = total - notApplicable - excluded;
  const installed = sum(SUCCESS_STATES);
  const failed = counts.failed ?? 0;
  const rolledBack = counts.rolled_back ?? 0;
  const attempted = sum(ATTEMPTED_STATES);
  const finished = installed + failed + rolledBack;
  return {
    total,
    inScope,
    notApplicable,
    excluded,
    held: counts.held ?? 0,
    waiting: sum(WAITING_STATES),
    inProgress: sum(IN_PROGRESS_STATES),
    installed,
    failed,
    rolledBack,
    attempted,
    /** Of the devices that finished (installed, failed, rolled back). */
    successPct: finished === 0 ? null : (installed / finished) * 100,
    failurePct: finished === 0 ? null : ((failed + rolledBack) / finished) * 100,
    /** Installed of in-scope devices. */
    installedPct: inScope === 0 ? null : (installed / inScope) * 100,
  };
}
