import "server-only";
// The readiness matrix of an update (issue #17): the business apps found on its in-scope machines
// (a deployment of the update that is not not_applicable), one row per app and release line (or per
// version range a cell was recorded for), ranked by machines, × the update's builds. Each cell is the
// newest readiness entry with its history; beside an untested cell, how many pilot machines (first
// wave) installed that build with the app and have no helpdesk report.
import { asc, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apps, builds, knownIssues, readinessEntries, updates } from "@/db/schema";
import { txRows, type Tx } from "@/db/tx";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";
import { versionInRange } from "@/lib/rollouts/version-range";
import { versionGroup, type ReadinessStatus } from "./model";

export const MATRIX_PAGE_SIZE = 25;

export type CellEntry = { status: ReadinessStatus; note: string; knownIssue: string | null; setBy: string; setAt: string };

export type MatrixCell = {
  build: string;
  status: ReadinessStatus;
  note: string;
  knownIssue: string | null;
  setBy: string | null;
  setAt: string | null;
  /** Pilot machines that installed this build with the app (in the row's range) and no helpdesk report. */
  seenWorkingOnPilotMachines: number;
  /** Older entries of the cell, newest first. */
  history: CellEntry[];
};

export type MatrixRow = { app: string; vendor: string; versionRange: string; machines: number; cells: MatrixCell[] };

export type ReadinessMatrix = {
  update: { slug: string; title: string };
  builds: { name: string; version: string; kind: string }[];
  /** The update's known issues, for the cell form's choice. */
  knownIssues: { advisoryId: string; title: string }[];
  page: number;
  pageSize: number;
  totalRows: number;
  rows: MatrixRow[];
};

type EntryRow = { appId: number; versionRange: string; buildId: number; status: ReadinessStatus; note: string; setByLabel: string; setAt: Date; advisoryId: string | null };

/** Every entry of the update's matrix, newest first per cell: key "app:range:build" → entries. */
async function readEntries(tx: Tx, updateId: number): Promise<Map<string, EntryRow[]>> {
  const rows = await tx
    .select({
      appId: readinessEntries.appId,
      versionRange: readinessEntries.versionRange,
      buildId: readinessEntries.buildId,
      status: readinessEntries.status,
      note: readinessEntries.note,
      setByLabel: readinessEntries.setByLabel,
      setAt: readinessEntries.setAt,
      advisoryId: knownIssues.advisoryId,
    })
    .from(readinessEntries)
    .leftJoin(knownIssues, eq(knownIssues.id, readinessEntries.knownIssueId))
    .where(eq(readinessEntries.updateId, updateId))
    .orderBy(desc(readinessEntries.setAt), desc(readinessEntries.id));
  const byCell = new Map<string, EntryRow[]>();
  for (const row of rows) {
    const key = `${row.appId}:${row.versionRange}:${row.buildId}`;
    byCell.set(key, [...(byCell.get(key) ?? []), row]);
  }
  return byCell;
}

/** The current cells of an update (the newest entry of each), for the per-wave counts. */
export async function currentCells(tx: Tx, updateId: number) {
  const byCell = await readEntries(tx, updateId);
  return [...byCell.values()].map(([newest]) => ({ appId: newest.appId, versionRange: newest.versionRange, buildId: newest.buildId, status: newest.status }));
}

export type MatrixQuery = { page?: number; pageSize?: number };

export async function getReadinessMatrix(actor: Actor | null, slug: string, query: MatrixQuery = {}): Promise<ReadinessMatrix> {
  assertCan(actor, "update.read");
  const db = await getDb();
  const [update] = await db.select({ id: updates.id, slug: updates.slug, title: updates.title }).from(updates).where(eq(updates.slug, slug));
  if (!update) throw new HttpError(404, `No update with slug ${slug}.`);
  const [buildRows, issueRows, appRows, found, entries, pilot] = await Promise.all([
    db.select({ id: builds.id, name: builds.name, version: builds.version, kind: builds.kind }).from(builds).where(eq(builds.updateId, update.id)).orderBy(asc(builds.id)),
    db.select({ advisoryId: knownIssues.advisoryId, title: knownIssues.title }).from(knownIssues).where(eq(knownIssues.updateId, update.id)).orderBy(asc(knownIssues.advisoryId)),
    db.select({ id: apps.id, name: apps.name, vendor: apps.vendor }).from(apps),
    // Each app version on the update's in-scope machines, with how many carry it.
    txRows<{ app_id: number; version: string; machines: number }>(db, sql`
      select da.app_id, da.version, count(*)::int as machines
      from device_apps da
      where exists (select 1 from deployments d where d.device_id = da.device_id and d.update_id = ${update.id} and d.state <> 'not_applicable')
      group by da.app_id, da.version`),
    readEntries(db, update.id),
    pilotMachinesByBuild(db, update.id),
  ]);
  const appById = new Map(appRows.map((a) => [a.id, a]));

  // Rows: each app's release lines found in inventory, plus each range a cell was recorded for.
  const rowKeys = new Map<string, { appId: number; versionRange: string }>();
  for (const f of found) rowKeys.set(`${f.app_id}:${versionGroup(f.version)}`, { appId: Number(f.app_id), versionRange: versionGroup(f.version) });
  for (const [, [entry]] of entries) rowKeys.set(`${entry.appId}:${entry.versionRange}`, { appId: entry.appId, versionRange: entry.versionRange });
  const versionsOf = new Map<number, { version: string; machines: number }[]>();
  for (const f of found) versionsOf.set(Number(f.app_id), [...(versionsOf.get(Number(f.app_id)) ?? []), { version: f.version, machines: Number(f.machines) }]);
  const countIn = (list: { version: string; machines: number }[] | undefined, range: string) =>
    (list ?? []).reduce((n, v) => n + (versionInRange(v.version, range) ? v.machines : 0), 0);

  const ranked = [...rowKeys.values()]
    .map((key) => ({ ...key, app: appById.get(key.appId)!, machines: countIn(versionsOf.get(key.appId), key.versionRange) }))
    .filter((r) => r.app)
    .sort((a, b) => b.machines - a.machines || a.app.name.localeCompare(b.app.name) || a.versionRange.localeCompare(b.versionRange));

  const pageSize = Math.min(Math.max(query.pageSize ?? MATRIX_PAGE_SIZE, 1), 100);
  const pages = Math.max(1, Math.ceil(ranked.length / pageSize));
  const page = Math.min(Math.max(query.page ?? 1, 1), pages);
  const shown = ranked.slice((page - 1) * pageSize, page * pageSize);

  return {
    update: { slug: update.slug, title: update.title },
    builds: buildRows.map((b) => ({ name: b.name, version: b.version, kind: b.kind })),
    knownIssues: issueRows,
    page,
    pageSize,
    totalRows: ranked.length,
    rows: shown.map((r) => ({
      app: r.app.name,
      vendor: r.app.vendor,
      versionRange: r.versionRange,
      machines: r.machines,
      cells: buildRows.map((b) => {
        const [newest, ...older] = entries.get(`${r.appId}:${r.versionRange}:${b.id}`) ?? [];
        const entry = (e: EntryRow): CellEntry => ({ status: e.status, note: e.note, knownIssue: e.advisoryId, setBy: e.setByLabel, setAt: e.setAt.toISOString() });
        return {
          build: b.name,
          status: newest?.status ?? "untested",
          note: newest?.note ?? "",
          knownIssue: newest?.advisoryId ?? null,
          setBy: newest?.setByLabel ?? null,
          setAt: newest?.setAt.toISOString() ?? null,
          seenWorkingOnPilotMachines: countIn(pilot.get(`${b.id}:${r.appId}`), r.versionRange),
          history: older.map(entry),
        };
      }),
    })),
  };
}

/**
 * Pilot machines (the first wave of the update's rollouts) that installed a build — their deployment
 * is installed on it, or an installed report named it — and have no helpdesk report on the update's
 * known issues: "buildId:appId" → versions of the app they carry, with how many.
 */
export async function pilotMachinesByBuild(tx: Tx, updateId: number): Promise<Map<string, { version: string; machines: number }[]>> {
  const rows = await txRows<{ build_id: number; app_id: number; version: string; machines: number }>(tx, sql`
    with pilot as (
      select d.device_id, d.build_id, d.state
      from deployments d
      join waves w on w.id = d.wave_id and w.position = 0
      join rollouts r on r.id = w.rollout_id and r.update_id = ${updateId}
      where d.update_id = ${updateId}
        and not exists (
          select 1 from helpdesk_reports h join known_issues k on k.id = h.known_issue_id
          where h.device_id = d.device_id and k.update_id = ${updateId})
    ),
    installed as (
      select device_id, build_id from pilot where state = 'installed' and build_id is not null
      union
      select se.device_id, se.build_id from status_events se join pilot p on p.device_id = se.device_id
      where se.update_id = ${updateId} and se.state = 'installed' and se.build_id is not null
    )
    select i.build_id, da.app_id, da.version, count(*)::int as machines
    from installed i join device_apps da on da.device_id = i.device_id
    group by i.build_id, da.app_id, da.version`);
  const out = new Map<string, { version: string; machines: number }[]>();
  for (const r of rows) {
    const key = `${r.build_id}:${r.app_id}`;
    out.set(key, [...(out.get(key) ?? []), { version: r.version, machines: Number(r.machines) }]);
  }
  return out;
}
