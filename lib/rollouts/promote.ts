import "server-only";
// Promotion (issue #17): every wave of a rollout that is not completed, and the rollout itself, move
// to a newer build of the update (a build is newer when its id is greater). A completed wave keeps
// the build it ran; machines that installed an older build than their wave now targets become
// "installed, behind" (lib/rollouts/build-mix.ts). One transaction: refused, nothing changes.
import { and, asc, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { builds, rollouts, waves } from "@/db/schema";
import { matchBuild } from "@/lib/deployments/ingest-model";
import { mutation } from "@/lib/dal/mutation";
import { fieldProblem, HttpError } from "@/lib/http/problem";

export const PromoteInput = z.object({
  rolloutId: z.coerce.number().int().positive(),
  build: z.string({ message: "build must be a build's name or version, e.g. Final or 5.1.2600.2180." }).trim().min(1, "Name the build to promote to.").max(100),
  note: z
    .string({ message: "note must be text." })
    .trim()
    .max(2000, "At most 2000 characters.")
    .nullish()
    .transform((v) => v ?? ""),
});
export type PromoteInput = z.input<typeof PromoteInput>;

export type BuildView = { id: number; name: string; version: string };

export type Promotion = {
  rolloutId: number;
  from: BuildView;
  to: BuildView;
  /** The waves that now target `to`, in order. */
  moved: { id: number; name: string; from: BuildView }[];
  note: string;
};

const view = (b: BuildView): BuildView => ({ id: b.id, name: b.name, version: b.version });

export const promoteRollout = mutation({
  action: "rollout.write",
  input: PromoteInput,
  invalid: "The promotion is invalid.",
  run: async (tx, _actor, { rolloutId, build: named, note }): Promise<Promotion> => {
    const [rollout] = await tx.select().from(rollouts).where(eq(rollouts.id, rolloutId)).for("update");
    if (!rollout) throw new HttpError(404, "No such rollout.");
    if (rollout.status === "cancelled") throw new HttpError(409, "This rollout is cancelled.");
    const known = await tx.select({ id: builds.id, name: builds.name, version: builds.version }).from(builds).where(eq(builds.updateId, rollout.updateId)).orderBy(asc(builds.id));
    const target = matchBuild(known, named);
    if (!target) {
      const names = known.map((b) => `${b.name} (${b.version})`).join(", ");
      throw fieldProblem(422, "build", `Unknown build "${named}"; this update's builds are ${names || "none yet"}.`);
    }
    const byId = new Map(known.map((b) => [b.id, b]));
    const all = await tx.select().from(waves).where(eq(waves.rolloutId, rolloutId)).orderBy(asc(waves.position)).for("update");
    const open = all.filter((w) => w.status !== "completed");
    if (!open.length) throw new HttpError(409, "Every wave of this rollout is completed; there is nothing to promote.");
    const current = (w: (typeof all)[number]) => byId.get(w.buildId ?? rollout.buildId)!;
    const newest = Math.max(rollout.buildId, ...open.map((w) => w.buildId ?? rollout.buildId));
    if (target.id <= newest) {
      const at = byId.get(newest)!;
      const message =
        target.id === newest
          ? `The rollout already targets ${at.name} (${at.version}); promote to a newer build.`
          : `${target.name} (${target.version}) is older than ${at.name} (${at.version}), which the rollout targets already; promotion only moves to a newer build.`;
      throw fieldProblem(422, "build", message);
    }
    const from = byId.get(rollout.buildId)!;
    // A completed wave that inherited the rollout's build keeps the build it ran.
    await tx
      .update(waves)
      .set({ buildId: rollout.buildId, updatedAt: new Date() })
      .where(and(eq(waves.rolloutId, rolloutId), eq(waves.status, "completed"), isNull(waves.buildId)));
    await tx.update(waves).set({ buildId: target.id, updatedAt: new Date() }).where(and(eq(waves.rolloutId, rolloutId), ne(waves.status, "completed")));
    await tx.update(rollouts).set({ buildId: target.id, updatedAt: new Date() }).where(eq(rollouts.id, rolloutId));
    return {
      rolloutId,
      from: view(from),
      to: view(target),
      moved: open.map((w) => ({ id: w.id, name: w.name, from: view(current(w)) })),
      note,
    };
  },
  audit: (_data, p) => ({
    action: "rollout.promote",
    targetType: "rollout",
    targetId: p.rolloutId,
    before: { build: p.from.name, waves: p.moved.map((w) => ({ id: w.id, name: w.name, build: w.from.name })) },
    after: { build: p.to.name, version: p.to.version, waves: p.moved.map((w) => w.name), note: p.note },
  }),
});
