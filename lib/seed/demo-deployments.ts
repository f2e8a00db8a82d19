// The demo's deployments with the status events behind their current state, the one device an
// editor released from a hold, and the CD-ROM batches posted to home workers.
import * as s from "@/db/schema";
import { DEMO_EMAIL_DOMAIN, MEDIA_BATCHES, type DeploymentPlan, type EventPlan, type IssueKey, type UpdateKey } from "@/db/seed/demo";
import type { Role } from "@/db/schema";
import type { Transaction } from "@/db/tx";
import { eventKey, OUTCOME_STATES } from "@/lib/deployments/ingest-model";
import { inChunks, type Ago, type DemoRollout } from "./demo-setup";

type Ids = {
  updateIds: Record<UpdateKey, number>;
  deviceId: Map<string, number>;
  rollout: DemoRollout;
  issueIds: Record<IssueKey, number>;
  ago: Ago;
};

/** One deployment row per plan and one status event per planned event (`seed-0000001`…); answers the counts. */
export async function insertDeployments(tx: Transaction, plans: DeploymentPlan[], ids: Ids): Promise<{ deployments: number; statusEvents: number }> {
  const { updateIds, deviceId, rollout, issueIds, ago } = ids;
  let eventNo = 0;
  const eventRows: (typeof s.statusEvents.$inferInsert)[] = [];
  const deploymentRows: (typeof s.deployments.$inferInsert)[] = [];
  for (const plan of plans) {
    const devId = deviceId.get(plan.device.hostname)!;
    const updId = updateIds[plan.update];
    let last: (EventPlan & { eventId: string }) | undefined;
    for (const e of plan.events) {
      const eventId = `seed-${String(++eventNo).padStart(7, "0")}`;
      eventRows.push({
        deviceId: devId,
        updateId: updId,
        state: e.state,
        occurredAt: e.at,
        receivedAt: e.at,
        errorCode: e.errorCode ?? null,
        alert: e.alert ?? null,
        message: e.message ?? null,
        source: "seed",
        eventId,
      });
      last = { ...e, eventId };
    }
    deploymentRows.push({
      deviceId: devId,
      updateId: updId,
      rolloutId: plan.inRollout ? rollout.rolloutId : null,
      waveId: plan.wave === null ? null : rollout.waveId(plan.wave),
      state: last?.state ?? "pending",
      errorCode: last?.errorCode ?? null,
      alert: last?.alert ?? null,
      message: last?.message ?? null,
      attempts: plan.events.filter((e) => OUTCOME_STATES.includes(e.state)).length,
      channel: plan.device.channel,
      heldByIssueId: last?.state === "held" && plan.heldBy ? issueIds[plan.heldBy] : null,
      stateOccurredAt: last?.at ?? null,
      stateEventKey: last ? eventKey("seed", last.eventId, "") : null,
      lastReportedAt: last?.at ?? null,
      createdAt: plan.update === "sp2" ? ago(75) : ago(40),
      updatedAt: last?.at ?? ago(40),
    });
  }
  await inChunks(deploymentRows, 1000, (chunk) => tx.insert(s.deployments).values(chunk));
  await inChunks(eventRows, 1000, (chunk) => tx.insert(s.statusEvents).values(chunk));
  return { deployments: deploymentRows.length, statusEvents: eventRows.length };
}

/** The devices an editor released from a safeguard hold. */
export async function insertHoldReleases(
  tx: Transaction,
  plans: DeploymentPlan[],
  ids: { issueIds: Record<IssueKey, number>; deviceId: Map<string, number>; userId: (role: Role) => number | null },
): Promise<void> {
  const releases = plans.filter((p) => p.releasedFrom);
  if (!releases.length) return;
  await tx.insert(s.safeguardHoldReleases).values(
    releases.map((p) => ({
      knownIssueId: ids.issueIds[p.releasedFrom!.issue],
      deviceId: ids.deviceId.get(p.device.hostname)!,
      reason: p.releasedFrom!.reason,
      releasedBy: ids.userId("editor"),
      releasedByLabel: `editor@${DEMO_EMAIL_DOMAIN}`,
      releasedAt: p.releasedFrom!.at,
    })),
  );
}

/** CD-ROMs posted to home workers, in the batches the scheduled deployments name. */
export async function insertMediaShipments(tx: Transaction, plans: DeploymentPlan[], homeWaveId: number, now: Date): Promise<void> {
  const shipped = new Map<string, number>();
  for (const p of plans) {
    const batch = p.wave === 3 ? p.events.at(-1)?.message?.match(/batch (HOME-CD-\d+)/)?.[1] : undefined;
    if (batch) shipped.set(batch, (shipped.get(batch) ?? 0) + 1);
  }
  await tx.insert(s.mediaShipments).values(
    MEDIA_BATCHES.filter((b) => shipped.has(b.name)).map((b) => ({
      waveId: homeWaveId,
      batch: b.name,
      shippedAt: b.shippedAt(now),
      deviceCount: shipped.get(b.name)!,
      note: b.note,
      createdAt: b.shippedAt(now),
    })),
  );
}
