ALTER TABLE "deployment_counts" ADD COLUMN "department_id" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deployment_counts" DROP CONSTRAINT "deployment_counts_update_id_rollout_id_wave_id_site_id_os_name_state_pk";--> statement-breakpoint
ALTER TABLE "deployment_counts" ADD CONSTRAINT "deployment_counts_update_id_rollout_id_wave_id_site_id_os_name_department_id_state_pk" PRIMARY KEY("update_id","rollout_id","wave_id","site_id","os_name","department_id","state");--> statement-breakpoint
-- Existing rows hold every department under 0: recount them from the deployments (as COUNTS_FROM_DEPLOYMENTS in lib/deployments/summaries.ts).
DELETE FROM "deployment_counts";--> statement-breakpoint
INSERT INTO "deployment_counts" ("update_id", "rollout_id", "wave_id", "site_id", "os_name", "department_id", "state", "count")
SELECT d.update_id, coalesce(d.rollout_id, 0), coalesce(d.wave_id, 0), v.site_id, v.os_name, coalesce(v.department_id, 0), d.state, count(*)::int
FROM "deployments" d JOIN "devices" v ON v.id = d.device_id
GROUP BY 1, 2, 3, 4, 5, 6, 7;
