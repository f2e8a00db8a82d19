// The starting point of a scenario, written straight through the data-access layer before any
// server runs: migrated schema, the demo scenario (~2,000 machines, a rollout in four waves, seeded
// history) and an ingest token.
import { useDbHandle, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/lib/seed/demo";
import { sourceOf } from "@/lib/deployments/ingest";
import { createApiToken } from "@/lib/auth/tokens";
import { readStart, type Start } from "./verify";

export type Prepared = { token: string; source: string; start: Start };

export async function prepareData(handle: DbHandle): Promise<Prepared> {
  useDbHandle(handle);
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  const token = await createApiToken({ kind: "system", label: "reliability" }, { name: "reliability replay", scopes: ["ingest"] });
  const start = await readStart(handle.db);
  return { token: token.token, source: sourceOf({ kind: "token", tokenId: token.id, name: token.name, scopes: token.scopes, ownerId: null }), start };
}
