import "server-only";
// The rollout page's impact analysis, counted at most once per IMPACT_MAX_AGE_MS per rollout and
// server process. Counting matches the rollout's deployments against installed app versions: with
// an issue naming an app most machines have (Office on 86,000 of 100,000 devices), that is ~60 ms of
// PostgreSQL, too much to repeat on every view of a page managers keep open. The numbers move with
// inventory imports, planning and issue edits, not by the second, so the page shows when they were
// counted. Concurrent views share one count; a failed count is not kept; known-issue edits in this
// process clear the cache (another process catches up within the maximum age).
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { impactForRollout } from "./impact";
import type { RolloutImpact } from "./types";

export const IMPACT_MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 200;

export type CountedImpact = RolloutImpact & { countedAt: Date };
type Entry = { at: number; value: Promise<CountedImpact> };

const store: Map<number, Entry> = ((globalThis as { __rollcallImpactCache?: Map<number, Entry> }).__rollcallImpactCache ??= new Map());

export async function countedImpactForRollout(actor: Actor | null, rolloutId: number, now = Date.now()): Promise<CountedImpact> {
  assertCan(actor, "known_issue.read");
  const hit = store.get(rolloutId);
  if (hit && now - hit.at < IMPACT_MAX_AGE_MS) return hit.value;
  const value = impactForRollout(actor, rolloutId).then((impact) => ({ ...impact, countedAt: new Date(now) }));
  const entry = { at: now, value };
  store.delete(rolloutId);
  store.set(rolloutId, entry);
  if (store.size > MAX_ENTRIES) store.delete(store.keys().next().value!);
  value.catch(() => {
    if (store.get(rolloutId) === entry) store.delete(rolloutId);
  });
  return value;
}

/** After a known issue changes: the next view of any rollout page counts afresh. */
export function forgetCountedImpact(): void {
  store.clear();
}
