CREATE TYPE "public"."readiness_status" AS ENUM('untested', 'works', 'works_with_workaround', 'broken');--> statement-breakpoint
CREATE TABLE "wave_date_moves" (
	"id" serial PRIMARY KEY NOT NULL,
	"wave_id" integer NOT NULL,
	"release_date_change_id" integer,
	"field" text NOT NULL,
	"from_at" timestamp with time zone,
	"to_at" timestamp with time zone,
	"days" integer NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "readiness_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"update_id" integer NOT NULL,
	"app_id" integer NOT NULL,
	"version_range" text DEFAULT '' NOT NULL,
	"build_id" integer NOT NULL,
	"status" "readiness_status" NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"known_issue_id" integer,
	"set_by" integer,
	"set_by_label" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "adoption_daily" DROP CONSTRAINT "adoption_daily_update_id_day_pk";--> statement-breakpoint
ALTER TABLE "deployment_counts" DROP CONSTRAINT "deployment_counts_update_id_rollout_id_wave_id_site_id_os_name_department_id_state_pk";--> statement-breakpoint
ALTER TABLE "adoption_daily" ADD COLUMN "build_id" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deployment_counts" ADD COLUMN "build_id" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "adoption_daily" ADD CONSTRAINT "adoption_daily_update_id_day_build_id_pk" PRIMARY KEY("update_id","day","build_id");--> statement-breakpoint
ALTER TABLE "deployment_counts" ADD CONSTRAINT "deployment_counts_update_id_rollout_id_wave_id_site_id_os_name_department_id_state_build_id_pk" PRIMARY KEY("update_id","rollout_id","wave_id","site_id","os_name","department_id","state","build_id");--> statement-breakpoint
ALTER TABLE "release_date_changes" ADD COLUMN "recorded_by_label" text;--> statement-breakpoint
ALTER TABLE "updates" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "updates" ADD COLUMN "pause_reason" text;--> statement-breakpoint
ALTER TABLE "updates" ADD COLUMN "paused_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "updates" ADD COLUMN "paused_by_label" text;--> statement-breakpoint
ALTER TABLE "rollouts" ADD COLUMN "silent_after_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollouts" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rollouts" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "start_offset_days" integer;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "deadline_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "deadline_offset_days" integer;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "compliance_target_pct" integer DEFAULT 95 NOT NULL;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "max_devices_per_day" integer;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "deadline_risk_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "gate_action" text DEFAULT 'halt' NOT NULL;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "gate_max_rollback_pct" integer;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "regression_min_reports" integer;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "regression_max_ratio" double precision DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "gate_alerted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "readiness_max_untested_pct" integer;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "build_id" integer;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "ramp_position" integer;--> statement-breakpoint
ALTER TABLE "status_events" ADD COLUMN "build_id" integer;--> statement-breakpoint
ALTER TABLE "wave_date_moves" ADD CONSTRAINT "wave_date_moves_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wave_date_moves" ADD CONSTRAINT "wave_date_moves_release_date_change_id_release_date_changes_id_fk" FOREIGN KEY ("release_date_change_id") REFERENCES "public"."release_date_changes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readiness_entries" ADD CONSTRAINT "readiness_entries_update_id_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."updates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readiness_entries" ADD CONSTRAINT "readiness_entries_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readiness_entries" ADD CONSTRAINT "readiness_entries_build_id_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."builds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readiness_entries" ADD CONSTRAINT "readiness_entries_known_issue_id_known_issues_id_fk" FOREIGN KEY ("known_issue_id") REFERENCES "public"."known_issues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readiness_entries" ADD CONSTRAINT "readiness_entries_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wave_date_moves_wave_idx" ON "wave_date_moves" USING btree ("wave_id","recorded_at");--> statement-breakpoint
CREATE INDEX "readiness_entries_cell_idx" ON "readiness_entries" USING btree ("update_id","app_id","version_range","build_id","set_at");--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_build_id_builds_id_fk" FOREIGN KEY ("build_id") REFERENCES "public"."builds"("id") ON DELETE set null ON UPDATE no action;