import "server-only";
// The emergency pause of an update (issue #18 item 5): while paused, no wave of any rollout of the
// update offers it (eligibility `update_paused`), and every signed-in page shows a banner. An
// editor (or a `manage` token) pauses with a reason and optionally an end; the pause ends by itself
// at that end (./pause-rule.ts: decided on read) or when resumed. Both are audited and announced.
import { asc, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { updates, type Update } from "@/db/schema";
import type { Transaction } from "@/db/tx";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { mutation } from "@/lib/dal/mutation";
import { fieldProblem, HttpError } from "@/lib/http/problem";
import { isPausedAt } from "./pause-rule";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const PauseInput = z.object({
  update: z.string().trim().min(1).max(200),
  reason: z
    .string({ message: "Say why the update is paused." })
    .trim()
    .min(5, "Say why the update is paused (at least 5 characters).")
    .max(2000, "At most 2000 characters."),
  until: z
    .preprocess(blankToUndefined, z.coerce.date({ message: "Enter a date and time (ISO 8601), or leave it empty." }).optional())
    .meta({ description: "When the pause ends by itself (ISO 8601 date-time, in the future); absent: until resumed.", format: "date-time", type: "string" }),
});
export type PauseInput = z.input<typeof PauseInput>;

export const ResumeInput = z.object({ update: z.string().trim().min(1).max(200) });

export type UpdatePause = { slug: string; title: string; pausedAt: Date; reason: string; until: Date | null; by: string | null };

type PauseColumns = Pick<Update, "slug" | "title" | "pausedAt" | "pauseReason" | "pausedUntil" | "pausedByLabel">;
const pauseColumns = { slug: updates.slug, title: updates.title, pausedAt: updates.pausedAt, pauseReason: updates.pauseReason, pausedUntil: updates.pausedUntil, pausedByLabel: updates.pausedByLabel };

function pauseOf(update: PauseColumns, now: Date): UpdatePause | null {
  if (!isPausedAt(update, now)) return null;
  return { slug: update.slug, title: update.title, pausedAt: update.pausedAt!, reason: update.pauseReason ?? "", until: update.pausedUntil, by: update.pausedByLabel };
}

async function lockUpdate(tx: Transaction, slug: string): Promise<Update> {
  const [update] = await tx.select().from(updates).where(eq(updates.slug, slug)).for("update");
  if (!update) throw new HttpError(404, `No update with slug ${slug}.`);
  return update;
}

const pausePath = (slug: string) => `/updates/${encodeURIComponent(slug)}`;

/** Pauses the update now (a second pause replaces the reason and the end). */
export const pauseUpdate = mutation({
  action: "update.write",
  input: PauseInput,
  invalid: "The pause has invalid fields; nothing changed.",
  run: async (tx, actor, { update: slug, reason, until }) => {
    const now = new Date();
    if (until && until.getTime() <= now.getTime()) throw fieldProblem(422, "until", `The end of the pause must be in the future (it is now ${now.toISOString()}); leave it empty to pause until resumed.`);
    const update = await lockUpdate(tx, slug);
    const before = pauseOf(update, now);
    const [changed] = await tx
      .update(updates)
      .set({ pausedAt: before?.pausedAt ?? now, pauseReason: reason, pausedUntil: until ?? null, pausedByLabel: actorLabel(actor) })
      .where(eq(updates.id, update.id))
      .returning();
    return { before, pause: pauseOf(changed, now)! };
  },
  audit: (_data, { before, pause }) => ({
    action: "update.pause",
    targetType: "update",
    targetId: pause.slug,
    before: before ? { paused: true, reason: before.reason, until: before.until } : { paused: false },
    after: { paused: true, reason: pause.reason, until: pause.until },
  }),
  events: (_data, { pause }) => [
    { type: "update.paused", path: pausePath(pause.slug), data: { update: pause.slug, title: pause.title, reason: pause.reason, until: pause.until?.toISOString() ?? null, by: pause.by } },
  ],
});

/** Ends the pause now; refused when the update is not paused. */
export const resumeUpdate = mutation({
  action: "update.write",
  input: ResumeInput,
  run: async (tx, actor, { update: slug }) => {
    const update = await lockUpdate(tx, slug);
    const before = pauseOf(update, new Date());
    if (!before) throw new HttpError(409, `${update.title} is not paused.`);
    await tx.update(updates).set({ pausedAt: null, pauseReason: null, pausedUntil: null, pausedByLabel: null }).where(eq(updates.id, update.id));
    return { before, by: actorLabel(actor) };
  },
  audit: (_data, { before }) => ({
    action: "update.resume",
    targetType: "update",
    targetId: before.slug,
    before: { paused: true, reason: before.reason, until: before.until },
    after: { paused: false },
  }),
  events: (_data, { before, by }) => [{ type: "update.resumed", path: pausePath(before.slug), data: { update: before.slug, title: before.title, reason: before.reason, by } }],
});

/**
 * The updates paused right now, for the banner on every signed-in page: one read of the few
 * updates whose pausedAt is set (the catalog is small; no join, no count).
 */
export async function listPausedUpdates(actor: Actor | null, now = new Date()): Promise<UpdatePause[]> {
  assertCan(actor, "update.read");
  const db = await getDb();
  const rows = await db.select(pauseColumns).from(updates).where(isNotNull(updates.pausedAt)).orderBy(asc(updates.pausedAt));
  return rows.map((u) => pauseOf(u, now)).filter((p): p is UpdatePause => p !== null);
}

/** The pause of one update right now, or null. */
export async function getUpdatePause(actor: Actor | null, slug: string, now = new Date()): Promise<UpdatePause | null> {
  assertCan(actor, "update.read");
  const db = await getDb();
  const [update] = await db.select(pauseColumns).from(updates).where(eq(updates.slug, slug));
  if (!update) throw new HttpError(404, `No update with slug ${slug}.`);
  return pauseOf(update, now);
}
