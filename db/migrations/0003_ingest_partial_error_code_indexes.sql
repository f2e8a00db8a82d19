DROP INDEX "deployments_error_code_idx";--> statement-breakpoint
DROP INDEX "status_events_error_code_idx";--> statement-breakpoint
CREATE INDEX "deployments_error_code_idx" ON "deployments" USING btree ("error_code") WHERE "deployments"."error_code" is not null;--> statement-breakpoint
CREATE INDEX "status_events_error_code_idx" ON "status_events" USING btree ("error_code") WHERE "status_events"."error_code" is not null;