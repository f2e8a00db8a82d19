import "server-only";
// The update catalog: updates, their builds (RC1, RC2, final…) and the history of release-date
// slips (each slip a dated entry with a note, drawn as a timeline). Editors write; everyone reads.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { builds, deploymentCounts, releaseDateChanges, rollouts, updates, updateKindEnum } from "@/db/schema";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { summarise, type StateCounts } from "@/lib/deployments/states";
import { fieldProblem, HttpError } from "@/lib/http/problem";
import { keysetPage, PageQuery } from "@/lib/http/keyset-page";
import { mutation } from "@/lib/dal/mutation";
import { txRows, type Transaction } from "@/db/tx";
import { syncHoldsForUpdate } from "@/lib/rollouts/holds";
import { getReadDb } from "@/lib/server/replica-reads";
import { moveWaveDatesBySlip } from "@/lib/rollouts/slip-moves";
import { describeMove } from "@/lib/rollouts/wave-dates";

const isoDate = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD.").refine((d) => !Number.isNaN(Date.parse(d)), "Enter a real date.");
const optionalDate = z.preprocess((v) => (v === "" ? null : v), isoDate.nullable().optional());

export const UpdateInput = z.object({
  slug: z
    .string()
    .trim()
    .min(2, "At least 2 characters.")
    .max(80, "At most 80 characters.")
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Lower-case letters, digits and single dashes (e.g. xp-sp2)."),
  title: z.string().trim().min(1, "Give the update a title.").max(200),
  vendor: z.string().trim().min(1, "Who makes it?").max(200),
  product: z.string().trim().min(1, "Which product does it update?").max(200),
  kind: z.enum(updateKindEnum.enumValues, { message: "Choose a kind." }),
  kb: z.preprocess((v) => (v === "" ? null : v), z.string().trim().max(50).nullable().optional()),
  sizeBytes: z.coerce.number({ message: "Enter the size (a number, 0 or more)." }).int("Whole bytes.").min(0, "Enter the size (a number, 0 or more).").max(1e13),
  description: z.string().trim().max(10_000).default(""),
  vendorStatus: z.string().trim().max(500).default(""),
  /** OS names it applies to; empty = every OS. Accepts a list or comma/newline-separated text. */
  applicableOsNames: z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[,\n]/) : v),
    z.array(z.string().trim().max(100)).transform((list) => [...new Set(list.filter((s) => s.length > 0))]),
  ).default([]),
  plannedReleaseDate: optionalDate,
});
export type UpdateInput = z.input<typeof UpdateInput>;

export const BuildInput = z.object({
  name: z.string().trim().min(1, "Name the build (e.g. RC2).").max(50),
  version: z.string().trim().min(1, "Enter the build's version.").max(100),
  kind: z.enum(["rc", "final"], { message: "Release candidate or final?" }),
  releasedAt: z.preprocess((v) => (v === "" ? null : v), z.coerce.date({ message: "Enter a valid date." }).nullable().optional()),
});

export const SlipInput = z.object({
  plannedDate: isoDate,
  note: z.string().trim().min(3, "Say why the date moved (at least 3 characters).").max(2000),
});

async function adoption(db: Awaited<ReturnType<typeof getDb>>, updateId?: number) {
  const rows = await db
    .select({ updateId: deploymentCounts.updateId, state: deploymentCounts.state, count: sql<number>`sum(${deploymentCounts.count})::int` })
    .from(deploymentCounts)
    .where(updateId ? eq(deploymentCounts.updateId, updateId) : undefined)
    .groupBy(deploymentCounts.updateId, deploymentCounts.state);
  const byUpdate = new Map<number, StateCounts>();
  for (const row of rows) {
    const counts = byUpdate.get(row.updateId) ?? {};
    counts[row.state] = Number(row.count);
    byUpdate.set(row.updateId, counts);
  }
  return byUpdate;
}

/** The first page of the catalog (newest first). */
export async function listUpdates(actor: Actor | null) {
  return (await listUpdatesPage(actor, {})).items;
}

/** The catalog a page at a time, newest first: keyset (created at in microseconds, id), ≤100 a page. */
export async function listUpdatesPage(actor: Actor | null, rawQuery: PageQuery) {
  assertCan(actor, "update.read");
  const page = keysetPage(PageQuery.parse(rawQuery), ["digits", "id"]);
  const db = await getReadDb(actor);
  const micros = sql<string>`(extract(epoch from ${updates.createdAt}) * 1000000)::bigint`;
  const after = page.from ? sql`(${micros}, ${updates.id}) ${sql.raw(page.back ? ">" : "<")} (${String(page.from[0])}::bigint, ${Number(page.from[1])})` : undefined;
  const rows = await db
    .select({ update: updates, key: sql<string>`${micros}::text` })
    .from(updates)
    .where(after)
    .orderBy(...(page.back ? [asc(updates.createdAt), asc(updates.id)] : [desc(updates.createdAt), desc(updates.id)]))
    .limit(page.take);
  const pageRows = page.finish(rows, (r) => [String(r.key), r.update.id]);
  const ids = pageRows.items.map((r) => r.update.id);
  const [buildRows, counts] = await Promise.all([
    ids.length ? db.select({ updateId: builds.updateId, name: builds.name, kind: builds.kind }).from(builds).where(inArray(builds.updateId, ids)).orderBy(asc(builds.id)) : [],
    adoption(db),
  ]);
  const items = pageRows.items.map(({ update: u }) => {
    const summary = summarise(counts.get(u.id) ?? {});
    return {
      slug: u.slug,
      title: u.title,
      vendor: u.vendor,
      product: u.product,
      kind: u.kind,
      kb: u.kb,
      sizeBytes: u.sizeBytes,
      vendorStatus: u.vendorStatus,
      plannedReleaseDate: u.plannedReleaseDate,
      applicableOsNames: u.applicableOsNames,
      builds: buildRows.filter((b) => b.updateId === u.id).map((b) => ({ name: b.name, kind: b.kind })),
      adoption: { installed: summary.installed, inScope: summary.inScope, notApplicable: summary.notApplicable, installedPct: summary.installedPct },
    };
  });
  return { items, nextCursor: pageRows.nextCursor, prevCursor: pageRows.prevCursor };
}

export type UpdateDetail = Awaited<ReturnType<typeof getUpdate>>;

export async function getUpdate(actor: Actor | null, slug: string) {
  assertCan(actor, "update.read");
  const db = await getReadDb(actor);
  const [update] = await db.select().from(updates).where(eq(updates.slug, slug));
  if (!update) throw new HttpError(404, `No update with slug ${slug}.`);
  const [buildRows, slips, rolloutRows, counts, byOs, bySite] = await Promise.all([
    db.select().from(builds).where(eq(builds.updateId, update.id)).orderBy(asc(builds.id)),
    db.select().from(releaseDateChanges).where(eq(releaseDateChanges.updateId, update.id)).orderBy(asc(releaseDateChanges.recordedAt), asc(releaseDateChanges.id)),
    db.select({ id: rollouts.id, name: rollouts.name, status: rollouts.status }).from(rollouts).where(eq(rollouts.updateId, update.id)).orderBy(asc(rollouts.id)),
    adoption(db, update.id),
    breakdown(db, update.id, sql`os_name`),
    breakdown(db, update.id, sql`(select name from sites where sites.id = site_id)`),
  ]);
  const summary = summarise(counts.get(update.id) ?? {});
  return {
    update: {
      slug: update.slug,
      title: update.title,
      vendor: update.vendor,
      product: update.product,
      kind: update.kind,
      kb: update.kb,
      sizeBytes: update.sizeBytes,
      description: update.description,
      vendorStatus: update.vendorStatus,
      plannedReleaseDate: update.plannedReleaseDate,
      applicableOsNames: update.applicableOsNames,
    },
    builds: buildRows.map((b) => ({ id: b.id, name: b.name, version: b.version, kind: b.kind, releasedAt: b.releasedAt?.toISOString() ?? null })),
    releaseHistory: slips.map((s) => ({ recordedAt: s.recordedAt.toISOString(), plannedDate: s.plannedDate, note: s.note })),
    rollouts: rolloutRows,
    adoption: { installed: summary.installed, inScope: summary.inScope, notApplicable: summary.notApplicable, failed: summary.failed + summary.rolledBack, installedPct: summary.installedPct },
    byOs,
    bySite,
  };
}

async function breakdown(db: Awaited<ReturnType<typeof getDb>>, updateId: number, key: ReturnType<typeof sql>) {
  const rows = await txRows<{ label: string; installed: number | null; in_scope: number | null; not_applicable: number | null }>(db, sql`
    select ${key} as label,
           sum(count) filter (where state = 'installed')::int as installed,
           sum(count) filter (where state not in ('not_applicable', 'excluded'))::int as in_scope,
           sum(count) filter (where state = 'not_applicable')::int as not_applicable
    from deployment_counts where update_id = ${updateId} group by 1 order by 1`);
  return rows.map((r) => ({ label: r.label, installed: Number(r.installed ?? 0), inScope: Number(r.in_scope ?? 0), notApplicable: Number(r.not_applicable ?? 0) }));
}

async function requireUpdate(tx: Transaction, slug: string) {
  const [update] = await tx.select().from(updates).where(eq(updates.slug, slug)).for("update");
  if (!update) throw new HttpError(404, `No update with slug ${slug}.`);
  return update;
}

export const createUpdate = mutation({
  action: "update.write",
  input: UpdateInput,
  invalid: "The update has invalid fields; nothing was saved.",
  run: async (tx, _actor, data) => {
    const [existing] = await tx.select({ id: updates.id }).from(updates).where(eq(updates.slug, data.slug));
    if (existing) throw fieldProblem(409, "slug", `An update with slug "${data.slug}" exists already.`);
    const [created] = await tx.insert(updates).values({ ...data, kb: data.kb ?? null, plannedReleaseDate: data.plannedReleaseDate ?? null }).returning();
    if (data.plannedReleaseDate) await tx.insert(releaseDateChanges).values({ updateId: created.id, plannedDate: data.plannedReleaseDate, note: "First planned date." });
    return { slug: created.slug };
  },
  audit: (data, created) => ({ action: "update.create", targetType: "update", targetId: created.slug, after: data }),
});

/** Edits the update's fields (`update` names it as it is now); the planned release date changes only through a slip. */
export const editUpdate = mutation({
  action: "update.write",
  input: UpdateInput.omit({ plannedReleaseDate: true }).extend({ update: z.string() }),
  invalid: "The update has invalid fields; nothing was saved.",
  run: async (tx, _actor, { update: slug, ...data }) => {
    const before = await requireUpdate(tx, slug);
    if (data.slug !== slug) {
      const [clash] = await tx.select({ id: updates.id }).from(updates).where(eq(updates.slug, data.slug));
      if (clash) throw fieldProblem(409, "slug", `An update with slug "${data.slug}" exists already.`);
    }
    await tx.update(updates).set({ ...data, kb: data.kb ?? null }).where(eq(updates.id, before.id));
    const applicabilityChanged = JSON.stringify([...before.applicableOsNames].sort()) !== JSON.stringify([...data.applicableOsNames].sort());
    // Which devices are not applicable changed: re-evaluate the update's open rollouts.
    if (applicabilityChanged) await syncHoldsForUpdate(tx, before.id);
    const { createdAt: _c, updatedAt: _u, id: _i, ...beforeFields } = before;
    return { slug: data.slug, before: beforeFields };
  },
  audit: ({ update: _slug, ...data }, { slug, before }) => ({ action: "update.edit", targetType: "update", targetId: slug, before, after: data }),
});

export const addBuild = mutation({
  action: "update.write",
  input: BuildInput.extend({ update: z.string() }),
  invalid: "The build has invalid fields; nothing was saved.",
  run: async (tx, _actor, { update: slug, ...data }) => {
    const update = await requireUpdate(tx, slug);
    const [clash] = await tx.select({ id: builds.id }).from(builds).where(and(eq(builds.updateId, update.id), sql`lower(${builds.name}) = lower(${data.name})`));
    if (clash) throw fieldProblem(409, "name", `This update already has a build named "${data.name}".`);
    const [build] = await tx.insert(builds).values({ updateId: update.id, ...data, releasedAt: data.releasedAt ?? null }).returning();
    return { id: build.id };
  },
  audit: ({ update: slug, ...data }) => ({
    action: "build.create",
    targetType: "update",
    targetId: slug,
    after: { ...data, releasedAt: data.releasedAt?.toISOString() ?? null },
  }),
});

/** Records a slip: the new planned date must come after the previous one; the offset dates of waves not yet started move with it. */
export const recordSlip = mutation({
  action: "update.write",
  input: SlipInput.extend({ update: z.string() }),
  invalid: "The slip has invalid fields; nothing was saved.",
  run: async (tx, actor, { update: slug, ...data }) => {
    const update = await requireUpdate(tx, slug);
    const [last] = await tx
      .select({ plannedDate: releaseDateChanges.plannedDate })
      .from(releaseDateChanges)
      .where(eq(releaseDateChanges.updateId, update.id))
      .orderBy(desc(releaseDateChanges.recordedAt), desc(releaseDateChanges.id))
      .limit(1);
    const previous = last?.plannedDate ?? update.plannedReleaseDate;
    if (previous && data.plannedDate <= previous) {
      throw fieldProblem(422, "plannedDate", `A slip moves the date later: the previous planned date is ${previous}; choose a date after it.`);
    }
    const [slip] = await tx.insert(releaseDateChanges).values({ updateId: update.id, plannedDate: data.plannedDate, note: data.note, recordedByLabel: actorLabel(actor) }).returning();
    await tx.update(updates).set({ plannedReleaseDate: data.plannedDate }).where(eq(updates.id, update.id));
    // The waves dated from the release that have not started move with it, in this transaction.
    const moved = previous ? await moveWaveDatesBySlip(tx, { updateId: update.id, fromRelease: previous, toRelease: data.plannedDate, releaseDateChangeId: slip.id }) : [];
    return { plannedDate: data.plannedDate, previous, slug: update.slug, title: update.title, recordedAt: slip.recordedAt.toISOString(), moved };
  },
  audit: ({ update: slug, ...data }, { previous, moved, recordedAt }) => [
    { action: "update.slip", targetType: "update", targetId: slug, before: { plannedReleaseDate: previous }, after: { ...data, movedWaveDates: moved.length } },
    ...moved.map((m) => ({
      action: "wave.date_moved",
      targetType: "wave",
      targetId: m.waveId,
      before: { [m.field]: m.from },
      after: { [m.field]: m.to, reason: describeMove({ field: m.field, days: m.days, fromAt: m.from, toAt: m.to }, recordedAt) },
    })),
  ],
  events: ({ note }, { plannedDate, previous, slug, title, moved }) => [
    {
      type: "update.slipped",
      path: `/updates/${encodeURIComponent(slug)}`,
      data: { update: slug, title, from: previous, to: plannedDate, note, movedWaveDates: moved.map(({ rolloutId, wave, field, from, to, days }) => ({ rollout: rolloutId, wave, field, from, to, days })) },
    },
  ],
});
