// The demo's deployments with the status events behind their current state, the one device an
// editor released from a hold, and the home workers' CD-ROM journeys.
import * as s from "@/db/schema";
import { DEMO_EMAIL_DOMAIN, type DeploymentPlan, type EventPlan, type IssueKey, type MediaStepPlan, type UpdateKey } from "@/db/seed/demo";
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
  // Each report names a build of its update (issue #17); the deployment runs the build of its latest report.
  const buildRows = await tx.select({ id: s.builds.id, updateId: s.builds.updateId, name: s.builds.name }).from(s.builds);
  const buildIds = new Map(buildRows.map((b) => [`${b.updateId}:${b.name}`, b.id]));
  const buildOf = (updateId: number, e: EventPlan) => (e.build ? (buildIds.get(`${updateId}:${e.build}`) ?? null) : null);
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
        buildId: buildOf(updId, e),
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
      buildId: last ? buildOf(updId, last) : null,
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

/** The home workers' media journeys: each step recorded a couple of hours after it happened (an appointment a week before its day). */
export async function insertMediaSteps(
  tx: Transaction,
  steps: MediaStepPlan[],
  ids: { rolloutId: number; deviceId: Map<string, number>; userId: (role: Role) => number | null; now: Date },
): Promise<void> {
  const T = ids.now.getTime();
  await inChunks(steps, 1000, (chunk) =>
    tx.insert(s.mediaSteps).values(
      chunk.map((m) => ({
        rolloutId: ids.rolloutId,
        deviceId: ids.deviceId.get(m.hostname)!,
        step: m.step,
        occurredAt: m.at,
        batch: m.batch ?? null,
        reference: m.reference ?? null,
        office: m.office ?? null,
        technician: m.technician ?? null,
        recordedBy: ids.userId(m.by),
        recordedByLabel: `${m.by}@${DEMO_EMAIL_DOMAIN}`,
        recordedAt: new Date(Math.min(m.step === "appointment" ? m.at.getTime() - 7 * 86_400_000 : m.at.getTime() + 2 * 3_600_000, T - 60_000)),
      })),
    ),
  );
}
