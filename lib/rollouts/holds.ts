import "server-only";
// Safeguard holds: a known issue of an update with its hold switched on holds back every device
// that has one of the issue's affected apps in the affected version range. Held devices are not
// offered the update (eligibility says `held`) until the hold is lifted, or an editor releases
// that one device with a reason (kept in safeguard_hold_releases, so it stays released).
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { deployments, devices, knownIssues, rollouts, safeguardHoldReleases, updates } from "@/db/schema";
import { actorLabel } from "@/lib/auth/actor";
import { mutation } from "@/lib/dal/mutation";
import { HttpError } from "@/lib/http/problem";
import { syncRolloutDeployments } from "./materialise";
import { forgetCountedImpact } from "@/lib/known-issues/impact-cache";
export { computeHeldDevices } from "./held-devices";
import { txRows, type Tx } from "@/db/tx";

/** Re-applies holds (and targeting) to the open rollouts of an update; call after a hold or affected app changes. */
export async function syncHoldsForUpdate(tx: Tx, updateId: number): Promise<void> {
  const open = await tx
    .select({ id: rollouts.id })
    .from(rollouts)
    .where(and(eq(rollouts.updateId, updateId), sql`${rollouts.status} in ('draft', 'active')`));
  for (const rollout of open) await syncRolloutDeployments(tx, rollout.id);
}

export const SetHoldInput = z.object({
  knownIssueId: z.coerce.number().int().positive(),
  on: z.boolean(),
  note: z.string().trim().max(2000).default(""),
});

/** Applies (on) or lifts (off) a known issue's safeguard hold: held devices are released at once. */
export const setSafeguardHold = mutation({
  action: "known_issue.write",
  input: SetHoldInput,
  invalid: "The hold change has invalid fields; nothing was saved.",
  run: async (tx, _actor, data) => {
    const [issue] = await tx.select().from(knownIssues).where(eq(knownIssues.id, data.knownIssueId)).for("update");
    if (!issue) throw new HttpError(404, "No such known issue.");
    const changed = issue.safeguardHold !== data.on;
    if (changed) {
      await tx
        .update(knownIssues)
        .set({ safeguardHold: data.on, safeguardHoldId: data.on ? (issue.safeguardHoldId ?? `SH-${issue.advisoryId}`) : issue.safeguardHoldId })
        .where(eq(knownIssues.id, issue.id));
      await syncHoldsForUpdate(tx, issue.updateId);
    }
    const [{ held }] = await txRows<{ held: number }>(
      tx,
      sql`select count(*)::int as held from deployments where held_by_issue_id = ${issue.id} and state = 'held'`,
    );
    return { knownIssueId: issue.id, on: data.on, held, changed, advisoryId: issue.advisoryId, title: issue.title, before: issue.safeguardHold };
  },
  audit: (data, result) =>
    result.changed
      ? {
          action: data.on ? "safeguard_hold.apply" : "safeguard_hold.lift",
          targetType: "known_issue",
          targetId: result.advisoryId,
          before: { safeguardHold: result.before },
          after: { safeguardHold: data.on, note: data.note },
        }
      : null,
  events: (data, { changed, advisoryId, title }) =>
    changed
      ? [
          {
            type: data.on ? "known_issue.hold_applied" : "known_issue.hold_lifted",
            path: `/known-issues/${encodeURIComponent(advisoryId)}`,
            data: { advisoryId, title, safeguardHoldId: `SH-${advisoryId}`, note: data.note || null },
          },
        ]
      : [],
  // The rollout pages count the impact of known issues afresh.
  afterCommit: () => forgetCountedImpact(),
});

export const ReleaseDeviceInput = z.object({
  hostname: z.string().trim().min(1, "Which device?"),
  update: z.string().trim().min(1, "Which update?"),
  reason: z.string().trim().min(5, "Write why this device may go ahead despite the hold (at least 5 characters).").max(2000),
});

/** An editor releases one held device (with a reason); it goes back to `pending` in its wave. */
export const releaseDeviceFromHold = mutation({
  action: "rollout.write",
  input: ReleaseDeviceInput,
  invalid: "The release has invalid fields; nothing was changed.",
  run: async (tx, actor, data) => {
    const [row] = await tx
      .select({ deploymentId: deployments.id, deviceId: devices.id, hostname: devices.hostname, state: deployments.state, issueId: deployments.heldByIssueId, updateId: updates.id, rolloutId: deployments.rolloutId })
      .from(deployments)
      .innerJoin(devices, eq(devices.id, deployments.deviceId))
      .innerJoin(updates, eq(updates.id, deployments.updateId))
      .where(and(sql`lower(${devices.hostname}) = lower(${data.hostname})`, eq(updates.slug, data.update)));
    if (!row) throw new HttpError(404, `${data.hostname} has no deployment of ${data.update}.`);
    if (row.state !== "held" || row.issueId === null) throw new HttpError(409, `${row.hostname} is not held (it is ${row.state}).`);
    await tx
      .insert(safeguardHoldReleases)
      .values({ knownIssueId: row.issueId, deviceId: row.deviceId, reason: data.reason, releasedBy: actor.kind === "user" ? actor.userId : null, releasedByLabel: actorLabel(actor) })
      .onConflictDoNothing();
    // Another issue's hold may still cover the device: recompute rather than set `pending` blindly.
    if (row.rolloutId) await syncRolloutDeployments(tx, row.rolloutId);
    const [after] = await tx.select({ state: deployments.state }).from(deployments).where(eq(deployments.id, row.deploymentId));
    return { hostname: row.hostname, state: after.state, knownIssueId: row.issueId };
  },
  audit: (data, released) => ({
    action: "safeguard_hold.release_device",
    targetType: "device",
    targetId: released.hostname,
    before: { state: "held", knownIssueId: released.knownIssueId },
    after: { state: released.state, reason: data.reason },
  }),
  // The rollout pages count the impact of known issues afresh.
  afterCommit: () => forgetCountedImpact(),
});
