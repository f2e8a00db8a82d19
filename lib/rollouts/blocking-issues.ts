import "server-only";
// Blocking known issues per wave (issue #18 item 7): `PUT /api/v1/rollouts/{id}/waves/{waveId}/blocking-issues
// {ids: ["RC-0003"]}` and the planner set which known issues of the update block one wave.
//
// How blocking is stored (lifecycle.ts reads it): an issue blocks when its `blocking` flag is on and
// it is confirmed; linked to waves (wave_blocking_issues) it blocks those, linked to none it blocks
// every wave of its update. Setting a wave's list changes that wave only:
// - an issue added: linked to the wave; if its flag was off (it blocked nothing) the flag goes on and
//   its old, dormant links go, so it blocks exactly this wave;
// - an issue removed: its link to the wave goes, and if that was its last link the flag goes off (it
//   would otherwise block every wave); an issue that blocked every wave is linked to every other
//   wave of its update instead, so they stay blocked.
// Whether a listed issue stops the wave now depends on its status (confirmed); a newly listed
// confirmed issue halts the wave if it is running, as confirming a blocking issue does.
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { knownIssues, rollouts, waveBlockingIssues, waves, type Wave } from "@/db/schema";
import type { Tx } from "@/db/tx";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import type { AuditInput } from "@/lib/audit/log";
import { mutation } from "@/lib/dal/mutation";
import { HttpError, type FieldError } from "@/lib/http/problem";
import { transitionWave } from "./lifecycle";

export const MAX_BLOCKING_ISSUES = 100;

const AdvisoryIds = z
  .array(z.string({ message: "An advisory id is text, like RC-0003." }).trim().min(1, "An advisory id is text, like RC-0003.").max(50, "At most 50 characters."), {
    message: "ids must be a list of advisory ids, like [\"RC-0003\"].",
  })
  .max(MAX_BLOCKING_ISSUES, `At most ${MAX_BLOCKING_ISSUES} known issues.`);

export const WaveBlockingIssuesInput = z.object({
  rolloutId: z.coerce.number().int().positive(),
  waveId: z.coerce.number().int().positive(),
  ids: AdvisoryIds,
});
export type WaveBlockingIssuesInput = z.input<typeof WaveBlockingIssuesInput>;

type IssueRow = { id: number; advisoryId: string; title: string; status: string; blocking: boolean; updateId: number };

export type WaveBlockingChange = {
  wave: Wave;
  /** The wave's blocking issues before and after (advisory ids, sorted). */
  before: string[];
  after: { advisoryId: string; title: string; status: string }[];
  /** Issues whose own blocking flag changed on the way. */
  flagChanges: { advisoryId: string; blocking: boolean }[];
  halted: boolean;
};

/** Which of the update's issues block `waveId` by flag and links (whatever their status). */
async function effectiveBlockingIds(tx: Tx, updateId: number, waveId: number): Promise<Set<number>> {
  const rows = await tx
    .select({ id: knownIssues.id })
    .from(knownIssues)
    .where(
      and(
        eq(knownIssues.updateId, updateId),
        eq(knownIssues.blocking, true),
        sql`(exists (select 1 from ${waveBlockingIssues} b where b.known_issue_id = ${knownIssues.id} and b.wave_id = ${waveId})
             or not exists (select 1 from ${waveBlockingIssues} b where b.known_issue_id = ${knownIssues.id}))`,
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/**
 * Sets the wave's blocking issues to `ids` inside the caller's transaction (the planner's save calls
 * it for each wave). Unknown ids, and issues of another update, are a 422 with one error per id.
 */
export async function applyWaveBlockingIssues(tx: Tx, actor: Actor, input: { rolloutId: number; waveId: number; ids: string[] }, path = "ids"): Promise<WaveBlockingChange> {
  const [rollout] = await tx.select().from(rollouts).where(eq(rollouts.id, input.rolloutId)).for("update");
  if (!rollout) throw new HttpError(404, "No such rollout.");
  const [wave] = await tx
    .select()
    .from(waves)
    .where(and(eq(waves.id, input.waveId), eq(waves.rolloutId, rollout.id)));
  if (!wave) throw new HttpError(404, "No such wave in this rollout.");
  if (rollout.status === "cancelled") throw new HttpError(409, "This rollout is cancelled; its waves no longer change.");
  if (wave.status === "completed") throw new HttpError(409, `"${wave.name}" is completed; nothing can block it any more.`);

  const wanted = [...new Set(input.ids.map((id) => id.toUpperCase()))];
  const found: IssueRow[] = wanted.length
    ? await tx
        .select({ id: knownIssues.id, advisoryId: knownIssues.advisoryId, title: knownIssues.title, status: knownIssues.status, blocking: knownIssues.blocking, updateId: knownIssues.updateId })
        .from(knownIssues)
        .where(inArray(sql`upper(${knownIssues.advisoryId})`, wanted))
    : [];
  const byAdvisory = new Map(found.map((i) => [i.advisoryId.toUpperCase(), i]));
  const errors: FieldError[] = [];
  input.ids.forEach((raw, index) => {
    const issue = byAdvisory.get(raw.trim().toUpperCase());
    if (!issue) errors.push({ path: `${path}.${index}`, message: `No known issue ${raw.trim()}.` });
    else if (issue.updateId !== rollout.updateId) errors.push({ path: `${path}.${index}`, message: `${issue.advisoryId} is a known issue of another update; only this rollout's update's issues can block its waves.` });
  });
  if (errors.length) throw new HttpError(422, "Some known issues cannot block this wave; nothing was changed.", { errors });

  const desired = new Map(found.map((i) => [i.id, i]));
  const current = await effectiveBlockingIds(tx, rollout.updateId, wave.id);
  const involvedIds = [...new Set([...desired.keys(), ...current])];
  const involved = involvedIds.length
    ? await tx
        .select({ id: knownIssues.id, advisoryId: knownIssues.advisoryId, title: knownIssues.title, status: knownIssues.status, blocking: knownIssues.blocking, updateId: knownIssues.updateId })
        .from(knownIssues)
        .where(inArray(knownIssues.id, involvedIds))
        .orderBy(asc(knownIssues.id))
        .for("update")
    : [];
  const links = involvedIds.length
    ? await tx.select().from(waveBlockingIssues).where(inArray(waveBlockingIssues.knownIssueId, involvedIds))
    : [];
  const linkedWaves = (issueId: number) => links.filter((l) => l.knownIssueId === issueId).map((l) => l.waveId);

  const flagChanges: WaveBlockingChange["flagChanges"] = [];
  const added: IssueRow[] = [];
  for (const issue of involved) {
    const want = desired.has(issue.id);
    const has = current.has(issue.id);
    if (want && !has) {
      if (!issue.blocking) {
        await tx.delete(waveBlockingIssues).where(eq(waveBlockingIssues.knownIssueId, issue.id));
        await tx.update(knownIssues).set({ blocking: true }).where(eq(knownIssues.id, issue.id));
        flagChanges.push({ advisoryId: issue.advisoryId, blocking: true });
      }
      await tx.insert(waveBlockingIssues).values({ waveId: wave.id, knownIssueId: issue.id }).onConflictDoNothing();
      added.push(issue);
    } else if (!want && has) {
      const linked = linkedWaves(issue.id);
      if (linked.length === 0) {
        // It blocked every wave of the update: keep blocking the others by naming them.
        const others = await tx
          .select({ id: waves.id })
          .from(waves)
          .innerJoin(rollouts, eq(rollouts.id, waves.rolloutId))
          .where(and(eq(rollouts.updateId, rollout.updateId), ne(waves.id, wave.id)));
        if (others.length) await tx.insert(waveBlockingIssues).values(others.map((o) => ({ waveId: o.id, knownIssueId: issue.id }))).onConflictDoNothing();
        else {
          await tx.update(knownIssues).set({ blocking: false }).where(eq(knownIssues.id, issue.id));
          flagChanges.push({ advisoryId: issue.advisoryId, blocking: false });
        }
      } else {
        await tx.delete(waveBlockingIssues).where(and(eq(waveBlockingIssues.knownIssueId, issue.id), eq(waveBlockingIssues.waveId, wave.id)));
        if (linked.every((id) => id === wave.id)) {
          await tx.update(knownIssues).set({ blocking: false }).where(eq(knownIssues.id, issue.id));
          flagChanges.push({ advisoryId: issue.advisoryId, blocking: false });
        }
      }
    }
  }

  // A newly listed confirmed issue stops a running wave, as confirming a blocking issue does.
  const confirmedNew = added.filter((i) => i.status === "confirmed");
  let halted = false;
  let currentWave = wave;
  if (confirmedNew.length && (wave.status === "active" || wave.status === "paused")) {
    const names = confirmedNew.map((i) => `${i.advisoryId} (${i.title})`).join(", ");
    currentWave = await transitionWave(tx, actor, wave, "halted", { action: "halt", reason: `Blocking known issue ${names} is confirmed; set as blocking this wave by ${actorLabel(actor)}.` });
    halted = true;
  }

  const byId = new Map(involved.map((i) => [i.id, i]));
  const after = [...desired.values()].sort((a, b) => a.advisoryId.localeCompare(b.advisoryId)).map((i) => ({ advisoryId: i.advisoryId, title: i.title, status: i.status }));
  const before = [...current].map((id) => byId.get(id)!.advisoryId).sort();
  return { wave: currentWave, before, after, flagChanges, halted };
}

/** The audit entry of a wave's blocking list change. */
export function blockingAudit(change: WaveBlockingChange): AuditInput {
  return {
    action: "wave.blocking_issues",
    targetType: "wave",
    targetId: change.wave.id,
    before: { blockingIssues: change.before },
    after: { blockingIssues: change.after.map((i) => i.advisoryId), rolloutId: change.wave.rolloutId, ...(change.flagChanges.length ? { issueFlags: change.flagChanges } : {}), ...(change.halted ? { halted: true } : {}) },
  };
}

/** An editor's (or manage token's) list of the known issues that block one wave (audited). */
export const setWaveBlockingIssues = mutation({
  action: "rollout.write",
  input: WaveBlockingIssuesInput,
  invalid: "The list of blocking known issues is invalid; nothing was changed.",
  run: (tx, actor, data) => applyWaveBlockingIssues(tx, actor, data),
  audit: (_data, change) => blockingAudit(change),
});
