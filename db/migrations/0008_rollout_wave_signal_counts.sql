CREATE TABLE "wave_signal_counts" (
	"wave_id" integer NOT NULL,
	"signal" text NOT NULL,
	"value" text NOT NULL,
	"state" "deployment_state" NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"message" text,
	CONSTRAINT "wave_signal_counts_wave_id_signal_value_state_pk" PRIMARY KEY("wave_id","signal","value","state")
);
--> statement-breakpoint
DROP INDEX "deployments_wave_errors_idx";--> statement-breakpoint
DROP INDEX "deployments_wave_alerts_idx";--> statement-breakpoint
-- Fill it from the deployments (as SIGNALS_FROM_DEPLOYMENTS in lib/deployments/summaries.ts).
INSERT INTO "wave_signal_counts" ("wave_id", "signal", "value", "state", "count", "message")
SELECT wave_id, 'error_code', error_code, state, count(*)::int, min(message) FROM "deployments" WHERE wave_id IS NOT NULL AND error_code IS NOT NULL GROUP BY 1, 2, 3, 4
UNION ALL
SELECT wave_id, 'alert', alert::text, state, count(*)::int, NULL FROM "deployments" WHERE wave_id IS NOT NULL AND alert IS NOT NULL GROUP BY 1, 2, 3, 4
UNION ALL
SELECT wave_id, 'channel', channel::text, state, count(*)::int, NULL FROM "deployments" WHERE wave_id IS NOT NULL GROUP BY 1, 2, 3, 4;
