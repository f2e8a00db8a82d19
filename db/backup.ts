// Backup and restore of the embedded database (PGlite): a backup is PGlite's own gzipped tar of
// the data directory (`dumpDataDir`), taken while this process holds the data-dir lock, so no
// server writes during it. A restore loads the tar into a fresh sibling directory, migrates and
// checks it there, and only then swaps it in; the old directory is kept aside, never deleted.
// PostgreSQL is backed up with its own tools (pg_dump / pg_restore): see postgresBackupRecipe.
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { openPglite, pgliteOptions, queryRows, type Db, type DbHandle } from "./client";
import { acquireDataDirLock, releaseDataDirLock } from "./lock";
import { migrateDatabase } from "./migrate";
import * as schema from "./schema";

const LOCK_FILE = "rollcall.lock";
const GZIP_MAGIC = [0x1f, 0x8b];

/** What a backup or a restore holds, printed so the two can be compared by eye. */
export type DatabaseCounts = { users: number; devices: number; updates: number; rollouts: number; deployments: number; statusEvents: number; knownIssues: number };

export class BackupError extends Error {
  name = "BackupError";
}

export async function countRows(db: Db): Promise<DatabaseCounts> {
  const [row] = await queryRows<DatabaseCounts>(
    db,
    sql`select (select count(*)::int from users) as "users",
               (select count(*)::int from devices) as "devices",
               (select count(*)::int from updates) as "updates",
               (select count(*)::int from rollouts) as "rollouts",
               (select count(*)::int from deployments) as "deployments",
               (select count(*)::int from status_events) as "statusEvents",
               (select count(*)::int from known_issues) as "knownIssues"`,
  );
  return row;
}

export function formatCounts(c: DatabaseCounts): string {
  const n = (v: number) => v.toLocaleString("en");
  return `${n(c.users)} users, ${n(c.devices)} devices, ${n(c.updates)} updates, ${n(c.rollouts)} rollouts, ${n(c.deployments)} deployments, ${n(c.statusEvents)} status events, ${n(c.knownIssues)} known issues`;
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function hasDatabase(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, "PG_VERSION"));
}

/** Nothing there but (maybe) our own lock file. */
function isEmptyDir(dir: string): boolean {
  if (!fs.existsSync(dir)) return true;
  return fs.readdirSync(dir).every((name) => name === LOCK_FILE);
}

function stamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/**
 * Writes a backup of the embedded database in `dataDir` to `file` (mode 0600: it holds password
 * and token hashes). Throws DataDirLockedError while a server runs on it (the CLI exits 3).
 */
export async function backupPglite(
  dataDir: string,
  file: string,
  options: { force?: boolean; onProgress?: (line: string) => void } = {},
): Promise<{ bytes: number; counts: DatabaseCounts }> {
  const progress = options.onProgress ?? (() => undefined);
  if (!hasDatabase(dataDir)) throw new BackupError(`There is no embedded database in ${dataDir} to back up.`);
  if (fs.existsSync(file) && !options.force) throw new BackupError(`${file} already exists; choose another name or add --force to overwrite it.`);
  const handle = await openPglite(dataDir, "backup");
  const partial = `${file}.partial-${process.pid}`;
  try {
    const counts = await countRows(handle.db);
    progress(`backing up ${formatCounts(counts)}…`);
    // A checkpoint first, so the restored copy starts without replaying the write-ahead log.
    await handle.pglite!.exec("checkpoint");
    const tarball = await handle.pglite!.dumpDataDir("gzip");
    const bytes = Buffer.from(await tarball.arrayBuffer());
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(partial, bytes, { mode: 0o600 });
    fs.renameSync(partial, file);
    fs.chmodSync(file, 0o600);
    return { bytes: bytes.byteLength, counts };
  } finally {
    fs.rmSync(partial, { force: true });
    await handle.close();
  }
}

/** The entry names of a tar archive (ustar headers), or null when it is not one. */
function tarEntryNames(tar: Buffer): string[] | null {
  const names: string[] = [];
  for (let offset = 0; offset + 512 <= tar.byteLength; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return names;
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
    if (!name || !Number.isFinite(size) || size < 0) return null;
    names.push(name.replace(/^\/+/, ""));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names.length ? names : null;
}

/**
 * Reads a backup file and checks it before anything is written: gzip intact (its checksum covers
 * a truncated copy), a tar inside, and a PostgreSQL data directory in the tar. Returns the tar.
 */
function readBackupFile(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError(code === "ENOENT" ? `${file} does not exist.` : `cannot read ${file} (${code ?? (error as Error).message}).`);
  }
  const notABackup = (why: string) => new BackupError(`${file} is not a Rollcall backup (${why}); nothing was changed.`);
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) throw notABackup("expected the gzipped tar written by `rollcall db backup`");
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes);
  } catch (error) {
    throw notABackup(`the file is damaged or incomplete: ${(error as Error).message}`);
  }
  const names = tarEntryNames(tar);
  if (!names) throw notABackup("the archive inside is not a tar file");
  if (!names.includes("PG_VERSION") || !names.some((n) => n.startsWith("base/"))) throw notABackup("the archive holds no database directory");
  return tar;
}

/**
 * Restores `file` into `dataDir`: loads it into `<dataDir>.restoring-…`, migrates and counts it
 * there, then moves a non-empty `dataDir` aside to `<dataDir>.before-restore-<time>` (only with
 * `force`) and puts the restored one in its place. On any failure the target is left untouched.
 */
export async function restorePglite(
  file: string,
  dataDir: string,
  options: { force?: boolean; onProgress?: (line: string) => void; now?: Date } = {},
): Promise<{ counts: DatabaseCounts; keptAside: string | null }> {
  const progress = options.onProgress ?? (() => undefined);
  const target = path.resolve(dataDir);
  // Holding the target's lock keeps a server (and a second restore) out for the whole swap.
  acquireDataDirLock(target, "restore");
  const staging = `${target}.restoring-${process.pid}`;
  try {
    if (!isEmptyDir(target) && !options.force) {
      throw new BackupError(`${target} already holds a database; add --force to replace it (the current one is kept aside, not deleted).`);
    }
    progress(`reading ${file} (${formatSize(fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0)})…`);
    const tar = readBackupFile(file);
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true, mode: 0o700 });
    progress(`loading it into ${staging}…`);
    let client: PGlite;
    try {
      // The tar is handed over already unpacked from gzip (a Blob without a type): PGlite's own
      // gunzip leaves a stream error unhandled, which would crash the process on a damaged file.
      client = await PGlite.create(staging, { ...pgliteOptions(), loadDataDir: new Blob([new Uint8Array(tar)]) });
    } catch (error) {
      throw new BackupError(`${file} could not be loaded as a database (${(error as Error).message}); nothing was changed.`);
    }
    let counts: DatabaseCounts;
    try {
      const db = drizzlePglite({ client, schema, casing: "snake_case" }) as unknown as Db;
      const handle: DbHandle = { db, kind: "pglite", pglite: client, close: () => client.close() };
      progress("applying migrations to the restored copy…");
      await migrateDatabase(handle);
      counts = await countRows(db);
      progress(`restored copy holds ${formatCounts(counts)}`);
    } catch (error) {
      throw new BackupError(`${file} loaded, but it is not a usable Rollcall database (${(error as Error).message}); nothing was changed.`);
    } finally {
      await client.close().catch(() => undefined);
    }
    // The backup carries the lock file of the process that wrote it; the restored directory gets ours.
    fs.copyFileSync(path.join(target, LOCK_FILE), path.join(staging, LOCK_FILE));
    let keptAside: string | null = null;
    if (!isEmptyDir(target)) {
      keptAside = `${target}.before-restore-${stamp(options.now)}`;
      fs.renameSync(target, keptAside);
      fs.rmSync(path.join(keptAside, LOCK_FILE), { force: true });
      progress(`moved the previous database aside to ${keptAside}`);
    } else {
      fs.rmSync(target, { recursive: true, force: true });
    }
    fs.renameSync(staging, target);
    return { counts, keptAside };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    releaseDataDirLock(target);
  }
}

/** How to back up and restore PostgreSQL; the URL is never printed (it may hold a password). */
export function postgresBackupRecipe(file: string): string {
  const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
  return [
    "With PostgreSQL (DATABASE_URL), back up and restore with PostgreSQL's own tools",
    "(pg_dump and pg_restore of the server's major version or newer):",
    "",
    `  pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file=${quoted}`,
    `  pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" ${quoted}`,
    "  npx rollcall db migrate",
    "",
    "Stop every Rollcall instance before pg_restore; pg_dump can run while they serve.",
  ].join("\n");
}
