CREATE TYPE "public"."media_step" AS ENUM('posted', 'received', 'appointment', 'returned', 'lost');--> statement-breakpoint
CREATE TABLE "media_steps" (
	"id" serial PRIMARY KEY NOT NULL,
	"rollout_id" integer NOT NULL,
	"device_id" integer NOT NULL,
	"step" "media_step" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"batch" text,
	"reference" text,
	"office" text,
	"technician" text,
	"recorded_by" integer,
	"recorded_by_label" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "media_overdue_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "media_steps" ADD CONSTRAINT "media_steps_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_steps" ADD CONSTRAINT "media_steps_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_steps" ADD CONSTRAINT "media_steps_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_steps_rollout_device_idx" ON "media_steps" USING btree ("rollout_id","device_id","occurred_at");