import "server-only";
// Cancelling a rollout (issue #18 item 7): manage / editor, with a written reason, audited. A
// cancelled rollout offers nothing (eligibility answers not_in_rollout), its running waves are
// halted with the reason and its planned waves never start by themselves; the plan can no longer be
// edited, and the update may get a new rollout. Nothing of what machines reported is touched.
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { rollouts, waves } from "@/db/schema";
import { actorLabel } from "@/lib/auth/actor";
import { mutation } from "@/lib/dal/mutation";
import { HttpError } from "@/lib/http/problem";
import { transitionWave } from "./lifecycle";

export const MIN_CANCEL_REASON = 10;

export const CancelRolloutInput = z.object({
  rolloutId: z.coerce.number().int().positive(),
  reason: z
    .string({ message: "Write why the rollout is cancelled." })
    .trim()
    .min(MIN_CANCEL_REASON, `Write why the rollout is cancelled (at least ${MIN_CANCEL_REASON} characters).`)
    .max(2000, "At most 2000 characters."),
});
export type CancelRolloutInput = z.input<typeof CancelRolloutInput>;

export type CancelledRollout = { id: number; name: string; status: "cancelled"; cancelledAt: Date; cancelReason: string; before: string; haltedWaves: number[] };

export const cancelRollout = mutation({
  action: "rollout.write",
  input: CancelRolloutInput,
  invalid: "The rollout was not cancelled: see the reason field.",
  run: async (tx, actor, { rolloutId, reason }): Promise<CancelledRollout> => {
    const [rollout] = await tx.select().from(rollouts).where(eq(rollouts.id, rolloutId)).for("update");
    if (!rollout) throw new HttpError(404, "No such rollout.");
    if (rollout.status === "cancelled") throw new HttpError(409, `This rollout was already cancelled${rollout.cancelReason ? ` (${rollout.cancelReason})` : ""}.`);
    if (rollout.status === "completed") throw new HttpError(409, "This rollout is completed; there is nothing left to cancel.");
    const now = new Date();
    const running = await tx
      .select()
      .from(waves)
      .where(and(eq(waves.rolloutId, rolloutId), inArray(waves.status, ["active", "paused"])))
      .orderBy(asc(waves.position))
      .for("update");
    for (const wave of running) {
      await transitionWave(tx, actor, wave, "halted", { action: "halt", reason: `Rollout cancelled by ${actorLabel(actor)}: ${reason}` }, now);
    }
    await tx.update(waves).set({ autoStart: false }).where(and(eq(waves.rolloutId, rolloutId), eq(waves.status, "planned")));
    await tx.update(rollouts).set({ status: "cancelled", cancelledAt: now, cancelReason: reason }).where(eq(rollouts.id, rolloutId));
    return { id: rollout.id, name: rollout.name, status: "cancelled", cancelledAt: now, cancelReason: reason, before: rollout.status, haltedWaves: running.map((w) => w.id) };
  },
  audit: (_data, result) => ({
    action: "rollout.cancel",
    targetType: "rollout",
    targetId: result.id,
    before: { status: result.before },
    after: { status: "cancelled", reason: result.cancelReason, haltedWaves: result.haltedWaves },
  }),
});
