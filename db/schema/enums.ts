// The enums the tables share (the database's own enum types).
import { pgEnum } from "drizzle-orm/pg-core";
import { DEPLOYMENT_ALERTS, DEPLOYMENT_STATES, MEDIA_STEPS, READINESS_STATUSES } from "../enums";

export const roleEnum = pgEnum("role", ["viewer", "helpdesk", "editor", "admin"]);
export const updateKindEnum = pgEnum("update_kind", ["service_pack", "security", "feature", "driver", "application"]);
export const buildKindEnum = pgEnum("build_kind", ["rc", "final"]);
export const siteKindEnum = pgEnum("site_kind", ["hq", "branch", "home"]);
export const channelEnum = pgEnum("delivery_channel", ["network", "offline_media", "technician"]);
export const rolloutStatusEnum = pgEnum("rollout_status", ["draft", "active", "completed", "cancelled"]);
export const waveStatusEnum = pgEnum("wave_status", ["planned", "active", "paused", "halted", "completed"]);
export const deploymentStateEnum = pgEnum("deployment_state", DEPLOYMENT_STATES);
export const alertEnum = pgEnum("deployment_alert", DEPLOYMENT_ALERTS);
export const mediaStepEnum = pgEnum("media_step", MEDIA_STEPS);
export const readinessStatusEnum = pgEnum("readiness_status", READINESS_STATUSES);
export const knownIssueStatusEnum = pgEnum("known_issue_status", [
  "reported",
  "investigating",
  "confirmed",
  "mitigated",
  "mitigated_external",
  "resolved",
  "resolved_external",
]);
export const severityEnum = pgEnum("severity", ["low", "medium", "high", "critical"]);
export const fixLinkTypeEnum = pgEnum("fix_link_type", ["patch", "kb", "advisory", "download"]);

export type Role = (typeof roleEnum.enumValues)[number];
export type DeploymentState = (typeof deploymentStateEnum.enumValues)[number];
export type WaveStatus = (typeof waveStatusEnum.enumValues)[number];
export type KnownIssueStatus = (typeof knownIssueStatusEnum.enumValues)[number];
