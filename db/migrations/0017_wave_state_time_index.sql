DROP INDEX "deployments_wave_state_idx";--> statement-breakpoint
CREATE INDEX "deployments_wave_state_idx" ON "deployments" USING btree ("wave_id","state","state_occurred_at");