-- Room on each page for the new row version: ingest rewrites devices.last_reported_at and the
-- deployments of every batch; with free space on the page an update that changes no indexed column
-- stays a HOT update (no index entries) and the new version lands next to the old one.
ALTER TABLE "devices" SET (fillfactor = 90);--> statement-breakpoint
ALTER TABLE "deployments" SET (fillfactor = 85);
