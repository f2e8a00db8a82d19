import "server-only";
// Recording a readiness cell (issue #17): an editor or a `manage` token says how an app's versions
// fare on a build of an update. Append-only: every change is a new readiness_entries row (the newest
// per update, app, version range and build is the cell), audited with what it replaced.
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { apps, builds, knownIssues, readinessEntries, updates } from "@/db/schema";
import type { Tx } from "@/db/tx";
import { actorLabel } from "@/lib/auth/actor";
import { mutation } from "@/lib/dal/mutation";
import { HttpError, type FieldError } from "@/lib/http/problem";
import { describeRange, isValidCellRange, normaliseCellRange, READINESS_LABELS, READINESS_STATUSES } from "./model";

const optionalText = (max: number) => z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string({ message: "Must be text." }).trim().max(max, `At most ${max} characters.`).optional());

/** The body of PUT /api/v1/updates/{slug}/readiness (and the page's cell form). */
export const ReadinessCellBody = z.object({
  app: z.string({ message: "Name the app (as the inventory names it)." }).trim().min(1, "Name the app (as the inventory names it).").max(200, "At most 200 characters."),
  versionRange: z
    .preprocess((v) => (v == null ? "" : v), z.string({ message: "Must be text." }).max(200, "At most 200 characters."))
    .refine(isValidCellRange, 'Not a version range: use "" or "*" (every version), "1.2", "1.x" or ">=1.0 <1.3".')
    .transform(normaliseCellRange),
  build: z.string({ message: "Name the build (e.g. RC2 or its version)." }).trim().min(1, "Name the build (e.g. RC2 or its version).").max(100, "At most 100 characters."),
  status: z.enum(READINESS_STATUSES, { message: `status must be one of ${READINESS_STATUSES.join(", ")}.` }),
  note: z.preprocess((v) => (v == null ? "" : v), z.string({ message: "Must be text." }).trim().max(2000, "At most 2000 characters.")),
  knownIssue: optionalText(50).meta({ description: "The advisory id of the known issue (e.g. RC-0001); required when status is broken." }),
});

export const SetReadinessCellInput = ReadinessCellBody.extend({ update: z.string().trim().min(1) }).superRefine((cell, ctx) => {
  if (cell.status === "broken" && !cell.knownIssue) {
    ctx.addIssue({ code: "custom", path: ["knownIssue"], message: "A broken cell names the known issue that breaks it (e.g. RC-0001); record the issue first if it is new." });
  }
});

export type SetReadinessCellInput = z.input<typeof SetReadinessCellInput>;

type Stored = { status: string; note: string; knownIssue: string | null; setBy: string; setAt: string };

export type SetCellResult = {
  update: string;
  app: string;
  versionRange: string;
  build: string;
  status: (typeof READINESS_STATUSES)[number];
  note: string;
  knownIssue: string | null;
  setBy: string;
  setAt: string;
  previous: Stored | null;
  /** Accepted, but worth a second look (e.g. a workaround without its known issue). */
  warnings: string[];
};

async function resolve(tx: Tx, data: z.output<typeof SetReadinessCellInput>) {
  const [update] = await tx.select({ id: updates.id, slug: updates.slug, title: updates.title }).from(updates).where(eq(updates.slug, data.update));
  if (!update) throw new HttpError(404, `No update with slug ${data.update}.`);
  // One after another: a transaction is one connection.
  const [app] = await tx.select({ id: apps.id, name: apps.name }).from(apps).where(sql`lower(${apps.name}) = lower(${data.app})`);
  const updateBuilds = await tx.select({ id: builds.id, name: builds.name, version: builds.version }).from(builds).where(eq(builds.updateId, update.id)).orderBy(builds.id);
  const [issue] = data.knownIssue
    ? await tx.select({ id: knownIssues.id, advisoryId: knownIssues.advisoryId }).from(knownIssues).where(sql`lower(${knownIssues.advisoryId}) = lower(${data.knownIssue})`)
    : [];
  const wanted = data.build.toLowerCase();
  const build = updateBuilds.find((b) => b.name.toLowerCase() === wanted) ?? updateBuilds.find((b) => b.version.toLowerCase() === wanted);
  const errors: FieldError[] = [];
  if (!app) errors.push({ path: "app", message: `No app named "${data.app}" in the inventory; name it as the device inventory does.` });
  if (!build) {
    const known = updateBuilds.map((b) => b.name).join(", ") || "none yet";
    errors.push({ path: "build", message: `"${data.build}" is not a build of ${update.title} (its builds: ${known}).` });
  }
  if (data.knownIssue && !issue) errors.push({ path: "knownIssue", message: `No known issue ${data.knownIssue}.` });
  if (errors.length || !app || !build) throw new HttpError(422, `The readiness cell was not saved: ${errors.map((e) => e.message).join(" ")}`, { errors });
  return { update, app, build, issue: issue ?? null };
}

/** Marks one cell of an update's readiness matrix: app (by name) × version range × build (by name or version). */
export const setReadinessCell = mutation({
  action: "update.write",
  input: SetReadinessCellInput,
  invalid: "The readiness cell has invalid fields; nothing was saved.",
  run: async (tx, actor, data): Promise<SetCellResult> => {
    const { update, app, build, issue } = await resolve(tx, data);
    const cellWhere = and(eq(readinessEntries.updateId, update.id), eq(readinessEntries.appId, app.id), eq(readinessEntries.versionRange, data.versionRange), eq(readinessEntries.buildId, build.id));
    const [before] = await tx
      .select({ status: readinessEntries.status, note: readinessEntries.note, setByLabel: readinessEntries.setByLabel, setAt: readinessEntries.setAt, advisoryId: knownIssues.advisoryId })
      .from(readinessEntries)
      .leftJoin(knownIssues, eq(knownIssues.id, readinessEntries.knownIssueId))
      .where(cellWhere)
      .orderBy(desc(readinessEntries.setAt), desc(readinessEntries.id))
      .limit(1);
    const [row] = await tx
      .insert(readinessEntries)
      .values({
        updateId: update.id,
        appId: app.id,
        versionRange: data.versionRange,
        buildId: build.id,
        status: data.status,
        note: data.note,
        knownIssueId: issue?.id ?? null,
        setBy: actor.kind === "user" ? actor.userId : null,
        setByLabel: actorLabel(actor),
      })
      .returning({ setAt: readinessEntries.setAt });
    const warnings: string[] = [];
    if (data.status === "works_with_workaround" && !issue) {
      warnings.push(`Saved. A cell that ${READINESS_LABELS.works_with_workaround} should name the known issue whose workaround it relies on, so the helpdesk can find it.`);
    }
    return {
      update: update.slug,
      app: app.name,
      versionRange: data.versionRange,
      build: build.name,
      status: data.status,
      note: data.note,
      knownIssue: issue?.advisoryId ?? null,
      setBy: actorLabel(actor),
      setAt: row.setAt.toISOString(),
      previous: before ? { status: before.status, note: before.note, knownIssue: before.advisoryId ?? null, setBy: before.setByLabel, setAt: before.setAt.toISOString() } : null,
      warnings,
    };
  },
  audit: (_data, cell) => ({
    action: "readiness.set",
    targetType: "update",
    targetId: cell.update,
    before: cell.previous ? { app: cell.app, versionRange: describeRange(cell.versionRange), build: cell.build, status: cell.previous.status, note: cell.previous.note, knownIssue: cell.previous.knownIssue } : null,
    after: { app: cell.app, versionRange: describeRange(cell.versionRange), build: cell.build, status: cell.status, note: cell.note, knownIssue: cell.knownIssue },
  }),
});
