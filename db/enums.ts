// Enum values shared by the schema and by code that also runs in the browser (charts, labels):
// plain constants, no drizzle import.
export const DEPLOYMENT_STATES = [
  "not_applicable",
  "excluded",
  "held",
  "pending",
  "scheduled",
  "downloading",
  "installing",
  "reboot_required",
  "installed",
  "failed",
  "rolled_back",
  "deferred",
] as const;

export const DEPLOYMENT_ALERTS = [
  "disk_full",
  "download_timeout",
  "rollback_initiated",
  "unexpected_shutdown",
  "safeguard_hold",
  "incompatible_app",
  "network_unreachable",
  "media_not_received",
] as const;

/** The steps of an offline machine's media journey that people record (issue #21); `to_send` and `installed` are derived. */
export const MEDIA_STEPS = ["posted", "received", "appointment", "returned", "lost"] as const;
/** Every step a journey can be at, in the order the pages list them. */
export const MEDIA_JOURNEY_STEPS = ["to_send", "posted", "appointment", "received", "installed", "returned", "lost"] as const;

export type DeploymentStateValue = (typeof DEPLOYMENT_STATES)[number];
export type DeploymentAlertValue = (typeof DEPLOYMENT_ALERTS)[number];
export type MediaStepValue = (typeof MEDIA_STEPS)[number];
export type MediaJourneyStep = (typeof MEDIA_JOURNEY_STEPS)[number];

/** A cell of an update's readiness matrix (app × build): what the pilot proved. */
export const READINESS_STATUSES = ["untested", "works", "works_with_workaround", "broken"] as const;
export type ReadinessStatus = (typeof READINESS_STATUSES)[number];
