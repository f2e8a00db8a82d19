import "server-only";
// The rollouts list a page at a time (issue #18 item 7): newest first by id, ≤100 a page, with
// nextCursor / prevCursor like the device list, optionally of one update. The page and
// GET /api/v1/rollouts read it; each rollout comes with its waves' names, order and status, and
// with its cancellation (when and why) once it is cancelled.
import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { builds, rollouts, updates, waves } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { keysetPage, PageQuery, type Page } from "@/lib/http/keyset-page";
import { optionalText } from "@/lib/http/query";
import { getReadDb } from "@/lib/server/replica-reads";
import type { RolloutListItem } from "./queries";

export const RolloutListQuery = PageQuery.extend({ update: optionalText.meta({ description: "Only rollouts of this update (slug)." }) });
export type RolloutListQuery = z.input<typeof RolloutListQuery>;

export type RolloutPageItem = RolloutListItem & { cancelledAt: string | null; cancelReason: string | null };

export async function listRolloutsPage(actor: Actor | null, rawQuery: RolloutListQuery): Promise<Page<RolloutPageItem>> {
  assertCan(actor, "rollout.read");
  const query = RolloutListQuery.parse(rawQuery);
  const page = keysetPage(query, ["id"]);
  const db = await getReadDb(actor);
  const conditions = [];
  if (query.update) conditions.push(eq(updates.slug, query.update));
  if (page.from) conditions.push(sql`${rollouts.id} ${sql.raw(page.back ? ">" : "<")} ${Number(page.from[0])}`);
  const rows = await selectRolloutRows(db)
    .where(conditions.length ? sql.join(conditions, sql` and `) : undefined)
    .orderBy(page.back ? asc(rollouts.id) : desc(rollouts.id))
    .limit(page.take);
  const result = page.finish(rows, (r) => [r.id]);
  return { ...result, items: await withWaves(db, result.items) };
}

type RolloutRow = {
  id: number;
  name: string;
  status: string;
  createdAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  slug: string;
  title: string;
  buildId: number;
  buildName: string;
};

/** The rollouts with their update and build, as a list item needs them; the caller filters, orders and limits. */
export function selectRolloutRows(db: Db) {
  return db
    .select({
      id: rollouts.id,
      name: rollouts.name,
      status: rollouts.status,
      createdAt: rollouts.createdAt,
      cancelledAt: rollouts.cancelledAt,
      cancelReason: rollouts.cancelReason,
      slug: updates.slug,
      title: updates.title,
      buildId: builds.id,
      buildName: builds.name,
    })
    .from(rollouts)
    .innerJoin(updates, eq(updates.id, rollouts.updateId))
    .innerJoin(builds, eq(builds.id, rollouts.buildId));
}

/** Rollout rows as list items, each with its waves' names, order and status (one read for all of them). */
export async function withWaves(db: Db, rows: RolloutRow[]): Promise<RolloutPageItem[]> {
  const waveRows = rows.length
    ? await db
        .select({ id: waves.id, rolloutId: waves.rolloutId, name: waves.name, position: waves.position, status: waves.status })
        .from(waves)
        .where(inArray(waves.rolloutId, rows.map((r) => r.id)))
        .orderBy(asc(waves.position))
    : [];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    update: { slug: r.slug, title: r.title },
    build: { id: r.buildId, name: r.buildName },
    createdAt: r.createdAt.toISOString(),
    cancelledAt: r.cancelledAt?.toISOString() ?? null,
    cancelReason: r.cancelReason,
    waves: waveRows.filter((w) => w.rolloutId === r.id).map(({ id, name, position, status }) => ({ id, name, position, status })),
  }));
}
