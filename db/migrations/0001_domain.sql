CREATE TYPE "public"."deployment_alert" AS ENUM('disk_full', 'download_timeout', 'rollback_initiated', 'unexpected_shutdown', 'safeguard_hold', 'incompatible_app', 'network_unreachable', 'media_not_received');--> statement-breakpoint
CREATE TYPE "public"."build_kind" AS ENUM('rc', 'final');--> statement-breakpoint
CREATE TYPE "public"."delivery_channel" AS ENUM('network', 'offline_media', 'technician');--> statement-breakpoint
CREATE TYPE "public"."deployment_state" AS ENUM('not_applicable', 'excluded', 'held', 'pending', 'scheduled', 'downloading', 'installing', 'reboot_required', 'installed', 'failed', 'rolled_back', 'deferred');--> statement-breakpoint
CREATE TYPE "public"."fix_link_type" AS ENUM('patch', 'kb', 'advisory', 'download');--> statement-breakpoint
CREATE TYPE "public"."known_issue_status" AS ENUM('reported', 'investigating', 'confirmed', 'mitigated', 'mitigated_external', 'resolved', 'resolved_external');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('viewer', 'helpdesk', 'editor', 'admin');--> statement-breakpoint
CREATE TYPE "public"."rollout_status" AS ENUM('draft', 'active', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."severity" AS ENUM('low', 'medium', 'high', 'critical');--> statement-breakpoint
CREATE TYPE "public"."site_kind" AS ENUM('hq', 'branch', 'home');--> statement-breakpoint
CREATE TYPE "public"."update_kind" AS ENUM('service_pack', 'security', 'feature', 'driver', 'application');--> statement-breakpoint
CREATE TYPE "public"."wave_status" AS ENUM('planned', 'active', 'paused', 'halted', 'completed');--> statement-breakpoint
CREATE TABLE "adoption_daily" (
	"update_id" integer NOT NULL,
	"day" date NOT NULL,
	"installed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "adoption_daily_update_id_day_pk" PRIMARY KEY("update_id","day")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scopes" text[] NOT NULL,
	"owner_id" integer,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "apps" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"vendor" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" integer,
	"actor_token_id" integer,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"before" jsonb,
	"after" jsonb,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "builds" (
	"id" serial PRIMARY KEY NOT NULL,
	"update_id" integer NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"kind" "build_kind" NOT NULL,
	"released_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_counts" (
	"update_id" integer NOT NULL,
	"rollout_id" integer DEFAULT 0 NOT NULL,
	"wave_id" integer DEFAULT 0 NOT NULL,
	"site_id" integer NOT NULL,
	"os_name" text NOT NULL,
	"state" "deployment_state" NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "deployment_counts_update_id_rollout_id_wave_id_site_id_os_name_state_pk" PRIMARY KEY("update_id","rollout_id","wave_id","site_id","os_name","state")
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" integer NOT NULL,
	"update_id" integer NOT NULL,
	"rollout_id" integer,
	"wave_id" integer,
	"state" "deployment_state" DEFAULT 'pending' NOT NULL,
	"error_code" text,
	"alert" "deployment_alert",
	"message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"channel" "delivery_channel" DEFAULT 'network' NOT NULL,
	"held_by_issue_id" integer,
	"state_occurred_at" timestamp with time zone,
	"state_event_key" text,
	"last_reported_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_apps" (
	"device_id" integer NOT NULL,
	"app_id" integer NOT NULL,
	"version" text DEFAULT '' NOT NULL,
	CONSTRAINT "device_apps_device_id_app_id_pk" PRIMARY KEY("device_id","app_id")
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" serial PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"os_name" text NOT NULL,
	"os_version" text DEFAULT '' NOT NULL,
	"site_id" integer NOT NULL,
	"department_id" integer,
	"channel" "delivery_channel" DEFAULT 'network' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"last_seen_at" timestamp with time zone,
	"last_reported_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "helpdesk_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"known_issue_id" integer NOT NULL,
	"device_id" integer,
	"ticket_ref" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"reported_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text NOT NULL,
	"scope" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "known_issue_apps" (
	"id" serial PRIMARY KEY NOT NULL,
	"known_issue_id" integer NOT NULL,
	"app_id" integer,
	"app_name" text NOT NULL,
	"version_range" text DEFAULT '*' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "known_issue_fix_links" (
	"id" serial PRIMARY KEY NOT NULL,
	"known_issue_id" integer NOT NULL,
	"vendor" text NOT NULL,
	"title" text NOT NULL,
	"url" text NOT NULL,
	"type" "fix_link_type" NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "known_issue_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"known_issue_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" integer,
	"actor_label" text NOT NULL,
	"field" text NOT NULL,
	"from_value" text,
	"to_value" text,
	"note" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "known_issues" (
	"id" serial PRIMARY KEY NOT NULL,
	"advisory_id" text NOT NULL,
	"title" text NOT NULL,
	"update_id" integer NOT NULL,
	"build_id" integer,
	"origin_kb" text,
	"resolving_update_id" integer,
	"resolving_kb" text,
	"status" "known_issue_status" DEFAULT 'reported' NOT NULL,
	"severity" "severity" DEFAULT 'medium' NOT NULL,
	"affected_platforms" text[] DEFAULT '{}'::text[] NOT NULL,
	"symptoms" text DEFAULT '' NOT NULL,
	"workaround" text DEFAULT '' NOT NULL,
	"resolution" text DEFAULT '' NOT NULL,
	"safeguard_hold" boolean DEFAULT false NOT NULL,
	"safeguard_hold_id" text,
	"blocking" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"success" boolean NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_shipments" (
	"id" serial PRIMARY KEY NOT NULL,
	"wave_id" integer NOT NULL,
	"batch" text NOT NULL,
	"shipped_at" timestamp with time zone NOT NULL,
	"device_count" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "release_date_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"update_id" integer NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"planned_date" date NOT NULL,
	"note" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollouts" (
	"id" serial PRIMARY KEY NOT NULL,
	"update_id" integer NOT NULL,
	"build_id" integer NOT NULL,
	"name" text NOT NULL,
	"status" "rollout_status" DEFAULT 'draft' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "safeguard_hold_releases" (
	"id" serial PRIMARY KEY NOT NULL,
	"known_issue_id" integer NOT NULL,
	"device_id" integer NOT NULL,
	"reason" text NOT NULL,
	"released_by" integer,
	"released_by_label" text NOT NULL,
	"released_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "site_kind" NOT NULL,
	"link_kbps" integer,
	"distribution_point" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" integer NOT NULL,
	"update_id" integer NOT NULL,
	"state" "deployment_state" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error_code" text,
	"alert" "deployment_alert",
	"message" text,
	"source" text NOT NULL,
	"event_id" text
);
--> statement-breakpoint
CREATE TABLE "updates" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"vendor" text NOT NULL,
	"product" text NOT NULL,
	"kind" "update_kind" NOT NULL,
	"kb" text,
	"size_bytes" bigint DEFAULT 0 NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"vendor_status" text DEFAULT '' NOT NULL,
	"planned_release_date" date,
	"applicable_os_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"role" "role" DEFAULT 'viewer' NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"password_hash" text,
	"external_id" text,
	"session_version" integer DEFAULT 1 NOT NULL,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wave_blocking_issues" (
	"wave_id" integer NOT NULL,
	"known_issue_id" integer NOT NULL,
	CONSTRAINT "wave_blocking_issues_wave_id_known_issue_id_pk" PRIMARY KEY("wave_id","known_issue_id")
);
--> statement-breakpoint
CREATE TABLE "waves" (
	"id" serial PRIMARY KEY NOT NULL,
	"rollout_id" integer NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"build_id" integer,
	"status" "wave_status" DEFAULT 'planned' NOT NULL,
	"targeting" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"planned_start_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"halted_at" timestamp with time zone,
	"halt_reason" text,
	"gate_passed_at" timestamp with time zone,
	"gate_min_success_pct" integer DEFAULT 95 NOT NULL,
	"gate_max_failure_pct" integer DEFAULT 5 NOT NULL,
	"gate_min_attempted" integer DEFAULT 10 NOT NULL,
	"auto_start" boolean DEFAULT false NOT NULL,
	"soak_days" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_actor_token_id_api_tokens_id_fk" FOREIGN KEY ("actor_token_id") REFERENCES "public"."api_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "builds" ADD CONSTRAINT "builds_update_id_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."updates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_update_id_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."updates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_held_by_issue_id_known_issues_id_fk" FOREIGN KEY ("held_by_issue_id") REFERENCES "public"."known_issues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_apps" ADD CONSTRAINT "device_apps_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_apps" ADD CONSTRAINT "device_apps_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpdesk_reports" ADD CONSTRAINT "helpdesk_reports_known_issue_id_known_issues_id_fk" FOREIGN KEY ("known_issue_id") REFERENCES "public"."known_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpdesk_reports" ADD CONSTRAINT "helpdesk_reports_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpdesk_reports" ADD CONSTRAINT "helpdesk_reports_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_issue_apps" ADD CONSTRAINT "known_issue_apps_known_issue_id_known_issues_id_fk" FOREIGN KEY ("known_issue_id") REFERENCES "public"."known_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_issue_apps" ADD CONSTRAINT "known_issue_apps_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_issue_fix_links" ADD CONSTRAINT "known_issue_fix_links_known_issue_id_known_issues_id_fk" FOREIGN KEY ("known_issue_id") REFERENCES "public"."known_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_issue_history" ADD CONSTRAINT "known_issue_history_known_issue_id_known_issues_id_fk" FOREIGN KEY ("known_issue_id") REFERENCES "public"."known_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_issue_history" ADD CONSTRAINT "known_issue_history_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_issues" ADD CONSTRAINT "known_issues_update_id_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."updates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_issues" ADD CONSTRAINT "known_issues_build_id_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."builds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_issues" ADD CONSTRAINT "known_issues_resolving_update_id_updates_id_fk" FOREIGN KEY ("resolving_update_id") REFERENCES "public"."updates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_shipments" ADD CONSTRAINT "media_shipments_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_date_changes" ADD CONSTRAINT "release_date_changes_update_id_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."updates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_update_id_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."updates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_build_id_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."builds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguard_hold_releases" ADD CONSTRAINT "safeguard_hold_releases_known_issue_id_known_issues_id_fk" FOREIGN KEY ("known_issue_id") REFERENCES "public"."known_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguard_hold_releases" ADD CONSTRAINT "safeguard_hold_releases_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguard_hold_releases" ADD CONSTRAINT "safeguard_hold_releases_released_by_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_events" ADD CONSTRAINT "status_events_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_events" ADD CONSTRAINT "status_events_update_id_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."updates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wave_blocking_issues" ADD CONSTRAINT "wave_blocking_issues_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wave_blocking_issues" ADD CONSTRAINT "wave_blocking_issues_known_issue_id_known_issues_id_fk" FOREIGN KEY ("known_issue_id") REFERENCES "public"."known_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waves" ADD CONSTRAINT "waves_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waves" ADD CONSTRAINT "waves_build_id_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."builds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_idx" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "apps_name_lower_idx" ON "apps" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "apps_name_trgm_idx" ON "apps" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_entries_at_idx" ON "audit_entries" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_entries_actor_idx" ON "audit_entries" USING btree ("actor_user_id","at");--> statement-breakpoint
CREATE INDEX "audit_entries_action_idx" ON "audit_entries" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "audit_entries_target_idx" ON "audit_entries" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE UNIQUE INDEX "builds_update_name_idx" ON "builds" USING btree ("update_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "departments_name_lower_idx" ON "departments" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "deployment_counts_rollout_idx" ON "deployment_counts" USING btree ("rollout_id","wave_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_device_update_idx" ON "deployments" USING btree ("device_id","update_id");--> statement-breakpoint
CREATE INDEX "deployments_wave_state_idx" ON "deployments" USING btree ("wave_id","state");--> statement-breakpoint
CREATE INDEX "deployments_update_state_idx" ON "deployments" USING btree ("update_id","state");--> statement-breakpoint
CREATE INDEX "deployments_rollout_idx" ON "deployments" USING btree ("rollout_id");--> statement-breakpoint
CREATE INDEX "deployments_error_code_idx" ON "deployments" USING btree ("error_code");--> statement-breakpoint
CREATE INDEX "device_apps_app_idx" ON "device_apps" USING btree ("app_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_hostname_lower_idx" ON "devices" USING btree (lower("hostname"));--> statement-breakpoint
CREATE INDEX "devices_hostname_trgm_idx" ON "devices" USING gin (lower("hostname") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "devices_hostname_c_idx" ON "devices" USING btree ((lower("hostname") collate "C"));--> statement-breakpoint
CREATE INDEX "devices_hostname_gist_idx" ON "devices" USING gist (lower("hostname") gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "devices_site_idx" ON "devices" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "devices_department_idx" ON "devices" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "devices_os_idx" ON "devices" USING btree ("os_name","os_version");--> statement-breakpoint
CREATE INDEX "devices_tags_idx" ON "devices" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "helpdesk_reports_issue_idx" ON "helpdesk_reports" USING btree ("known_issue_id");--> statement-breakpoint
CREATE INDEX "helpdesk_reports_device_idx" ON "helpdesk_reports" USING btree ("device_id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "known_issue_apps_issue_idx" ON "known_issue_apps" USING btree ("known_issue_id");--> statement-breakpoint
CREATE INDEX "known_issue_apps_app_idx" ON "known_issue_apps" USING btree ("app_id");--> statement-breakpoint
CREATE INDEX "known_issue_fix_links_issue_idx" ON "known_issue_fix_links" USING btree ("known_issue_id");--> statement-breakpoint
CREATE INDEX "known_issue_history_issue_idx" ON "known_issue_history" USING btree ("known_issue_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "known_issues_advisory_idx" ON "known_issues" USING btree ("advisory_id");--> statement-breakpoint
CREATE INDEX "known_issues_update_idx" ON "known_issues" USING btree ("update_id","status");--> statement-breakpoint
CREATE INDEX "known_issues_title_trgm_idx" ON "known_issues" USING gin (lower("title") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "known_issues_fts_idx" ON "known_issues" USING gin (to_tsvector('english', "title" || ' ' || "symptoms"));--> statement-breakpoint
CREATE INDEX "login_attempts_email_idx" ON "login_attempts" USING btree ("email","at");--> statement-breakpoint
CREATE INDEX "login_attempts_ip_idx" ON "login_attempts" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "media_shipments_wave_idx" ON "media_shipments" USING btree ("wave_id");--> statement-breakpoint
CREATE INDEX "release_date_changes_update_idx" ON "release_date_changes" USING btree ("update_id","recorded_at");--> statement-breakpoint
CREATE INDEX "rollouts_update_idx" ON "rollouts" USING btree ("update_id");--> statement-breakpoint
CREATE UNIQUE INDEX "safeguard_hold_releases_issue_device_idx" ON "safeguard_hold_releases" USING btree ("known_issue_id","device_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sites_name_lower_idx" ON "sites" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "status_events_source_event_idx" ON "status_events" USING btree ("source","event_id");--> statement-breakpoint
CREATE INDEX "status_events_device_update_idx" ON "status_events" USING btree ("device_id","update_id","occurred_at");--> statement-breakpoint
CREATE INDEX "status_events_error_code_idx" ON "status_events" USING btree ("error_code");--> statement-breakpoint
CREATE UNIQUE INDEX "updates_slug_idx" ON "updates" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "updates_kb_idx" ON "updates" USING btree ("kb");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_idx" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_external_idx" ON "users" USING btree ("external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "waves_rollout_position_idx" ON "waves" USING btree ("rollout_id","position");