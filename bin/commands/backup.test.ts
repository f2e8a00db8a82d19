// `rollcall db backup` / `db restore` on the embedded database: the demo scenario backed up and
// restored into another directory serves the same overview numbers and row counts; a restore never
// overwrites a database without --force, keeps the old one aside, and a corrupt file changes nothing.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupPglite, countRows, restorePglite, type DatabaseCounts } from "@/db/backup";
import { closeDb, openPglite, useDbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/lib/seed/demo";
import { getOverview, type Overview } from "@/lib/overview/queries";
import { CliError, UsageError, type CliContext } from "../cli-context";
import { dbCommand } from "./db";

const system = { kind: "system", label: "backup test" } as const;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-backup-"));
const source = path.join(root, "source", "pglite");
const backupFile = path.join(root, "demo.tar.gz");

/** The overview and row counts of the embedded database in `dataDir`, without generatedAt. */
async function numbersOf(dataDir: string): Promise<{ overview: Omit<Overview, "generatedAt">; counts: DatabaseCounts }> {
  const handle = await openPglite(dataDir, "test");
  useDbHandle(handle);
  try {
    const { generatedAt: _at, ...overview } = await getOverview(system);
    void _at;
    return { overview, counts: await countRows(handle.db) };
  } finally {
    await closeDb();
  }
}

function cliContext() {
  const lines = { out: [] as string[], err: [] as string[], progress: [] as string[] };
  const ctx: CliContext = {
    out: (l) => lines.out.push(l),
    err: (l) => lines.err.push(l),
    progress: (l) => lines.progress.push(l),
    stdin: process.stdin,
    openDb: () => Promise.reject(new Error("backup and restore open the data directory themselves")),
  };
  return { ctx, lines };
}

/** Runs `fn` with ROLLCALL_DATA_DIR / DATABASE_URL set as given, restoring them afterwards. */
async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A ustar header for one regular file (enough for a tar that holds no database). */
function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, "utf8");
  header.write(size.toString(8).padStart(11, "0") + "\0", 124, "ascii");
  header.write("ustar", 257, "ascii");
  return header;
}

let original: Awaited<ReturnType<typeof numbersOf>>;

beforeAll(async () => {
  const handle = await openPglite(source, "test");
  try {
    await migrateDatabase(handle);
    await seedDemo(handle.db, { now: new Date("2025-03-14T09:30:00Z") });
  } finally {
    await handle.close();
  }
  original = await numbersOf(source);
}, 240_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("backup and restore of the embedded database", () => {
  it("restores the demo into a new directory with the same overview numbers and counts", async () => {
    expect(original.counts.deployments).toBeGreaterThan(1000);
    expect(original.overview.rollouts.length).toBeGreaterThan(0);
    const { bytes, counts } = await backupPglite(source, backupFile);
    expect(counts).toEqual(original.counts);
    expect(fs.statSync(backupFile).size).toBe(bytes);
    expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(source, "rollcall.lock")), "the backup released its lock").toBe(false);

    const target = path.join(root, "restored", "pglite");
    const progress: string[] = [];
    const restored = await restorePglite(backupFile, target, { onProgress: (l) => progress.push(l) });
    expect(restored).toEqual({ counts: original.counts, keptAside: null });
    expect(progress.join("\n")).toMatch(/reading .*demo\.tar\.gz[\s\S]*loading[\s\S]*migrations[\s\S]*restored copy holds/);
    expect(fs.existsSync(path.join(target, "rollcall.lock")), "the restore released its lock").toBe(false);
    expect(fs.readdirSync(path.dirname(target))).toEqual(["pglite"]);
    expect(await numbersOf(target)).toEqual(original);
  });

  it("refuses to overwrite a database without --force, and keeps the old one aside with it", async () => {
    const target = path.join(root, "second", "pglite");
    await restorePglite(backupFile, target);
    await expect(restorePglite(backupFile, target)).rejects.toThrow(/already holds a database; add --force/);
    const { keptAside } = await restorePglite(backupFile, target, { force: true, now: new Date("2025-03-15T08:00:00.123Z") });
    expect(keptAside).toBe(`${target}.before-restore-20250315T080000Z`);
    expect(fs.existsSync(path.join(keptAside!, "PG_VERSION"))).toBe(true);
    expect((await numbersOf(target)).counts).toEqual(original.counts);
  });

  it("leaves the target untouched when the file is corrupt, truncated or missing", async () => {
    const target = path.join(root, "third", "pglite");
    await restorePglite(backupFile, target);
    const before = fs.readdirSync(target).sort();
    const whole = fs.readFileSync(backupFile);
    const truncated = path.join(root, "truncated.tar.gz");
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.byteLength / 3)));
    const garbage = path.join(root, "garbage.tar.gz");
    fs.writeFileSync(garbage, gzipSync(randomBytes(64 * 1024)));
    const otherTar = path.join(root, "other.tar.gz");
    fs.writeFileSync(otherTar, gzipSync(Buffer.concat([tarHeader("notes/readme.txt", 0), Buffer.alloc(1024)])));
    const text = path.join(root, "notes.txt");
    fs.writeFileSync(text, "hello ".repeat(500));

    await expect(restorePglite(truncated, target, { force: true })).rejects.toThrow(/truncated\.tar\.gz is not a Rollcall backup \(the file is damaged or incomplete: .*\); nothing was changed/);
    await expect(restorePglite(garbage, target, { force: true })).rejects.toThrow(/garbage\.tar\.gz is not a Rollcall backup \(the archive (inside is not a tar file|holds no database directory)\)/);
    await expect(restorePglite(otherTar, target, { force: true })).rejects.toThrow(/other\.tar\.gz is not a Rollcall backup \(the archive holds no database directory\)/);
    await expect(restorePglite(text, target, { force: true })).rejects.toThrow(/notes\.txt is not a Rollcall backup \(expected the gzipped tar/);
    await expect(restorePglite(path.join(root, "nope.tar.gz"), target, { force: true })).rejects.toThrow(/nope\.tar\.gz does not exist/);

    expect(fs.readdirSync(target).sort()).toEqual(before);
    expect(fs.readdirSync(path.dirname(target))).toEqual(["pglite"]);
    expect((await numbersOf(target)).counts).toEqual(original.counts);
  });

  it("does not back up over an existing file without --force, nor a directory with no database", async () => {
    await expect(backupPglite(source, backupFile)).rejects.toThrow(/already exists; .*--force/);
    await expect(backupPglite(path.join(root, "empty", "pglite"), path.join(root, "x.tar.gz"))).rejects.toThrow(/no embedded database/);
    expect(fs.existsSync(path.join(root, "empty"))).toBe(false);
  });
});

describe("rollcall db backup / restore", () => {
  it("backs up and restores through the command, with progress", async () => {
    const dataRoot = path.join(root, "cli");
    const file = path.join(root, "cli.tar.gz");
    const { ctx, lines } = cliContext();
    await withEnv({ DATABASE_URL: undefined, ROLLCALL_DATA_DIR: path.dirname(source) }, async () => {
      expect(await dbCommand.run(["backup", file], ctx)).toBe(0);
    });
    expect(lines.out.at(-1)).toMatch(new RegExp(`^Backed up .* to .*cli\\.tar\\.gz \\([\\d.]+ [KM]B, [\\d.]+ s\\): ${original.counts.users} users, .* devices`));
    await withEnv({ DATABASE_URL: undefined, ROLLCALL_DATA_DIR: dataRoot }, async () => {
      expect(await dbCommand.run(["restore", file], ctx)).toBe(0);
    });
    expect(lines.out.at(-1)).toMatch(/^Restored .*cli\.tar\.gz into .*cli\/pglite in [\d.]+ s: /);
    expect(lines.progress.some((l) => l.startsWith("applying migrations"))).toBe(true);
    expect((await numbersOf(path.join(dataRoot, "pglite"))).counts).toEqual(original.counts);
  });

  it("exits 3 while a server holds the database, and never writes the file", async () => {
    const lockFile = path.join(source, "rollcall.lock");
    fs.writeFileSync(lockFile, JSON.stringify({ pid: process.ppid, role: "server", startedAt: "" }));
    try {
      const { ctx } = cliContext();
      const file = path.join(root, "while-serving.tar.gz");
      const attempt = withEnv({ DATABASE_URL: undefined, ROLLCALL_DATA_DIR: path.dirname(source) }, () => dbCommand.run(["backup", file], ctx));
      await expect(attempt).rejects.toSatisfy((e: unknown) => e instanceof CliError && e.exitCode === 3 && /in use by a running Rollcall server .*Stop the server first/.test(e.message));
      expect(fs.existsSync(file)).toBe(false);
      const restore = withEnv({ DATABASE_URL: undefined, ROLLCALL_DATA_DIR: path.dirname(source) }, () => dbCommand.run(["restore", backupFile, "--force"], ctx));
      await expect(restore).rejects.toSatisfy((e: unknown) => e instanceof CliError && e.exitCode === 3);
    } finally {
      fs.rmSync(lockFile, { force: true });
    }
  });

  it("prints the pg_dump / pg_restore recipe with DATABASE_URL, never the URL itself, and exits 1", async () => {
    const { ctx, lines } = cliContext();
    await withEnv({ DATABASE_URL: "postgres://rollcall:s3cret@db.example:5432/rollcall" }, async () => {
      expect(await dbCommand.run(["backup", "nightly.dump"], ctx)).toBe(1);
      expect(await dbCommand.run(["restore", "nightly.dump"], ctx)).toBe(1);
    });
    expect(lines.err[0]).toMatch(/embedded database only; DATABASE_URL is set/);
    expect(lines.out[0]).toContain(`pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file='nightly.dump'`);
    expect(lines.out[0]).toContain(`pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" 'nightly.dump'`);
    expect(lines.out.join("\n")).not.toContain("s3cret");
  });

  it("rejects bad arguments as usage errors, and the CLI exits 2 with the usage", async () => {
    const { ctx } = cliContext();
    for (const argv of [["backup"], ["restore"], ["backup", "a", "b"], ["restore", "x", "--overwrite"], ["backup", " "]]) {
      await expect(dbCommand.run(argv, ctx), argv.join(" ")).rejects.toSatisfy(
        (e: unknown) => e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true,
      );
    }
    const cli = path.resolve(import.meta.dirname, "..", "rollcall");
    const r = spawnSync(cli, ["db", "restore"], { encoding: "utf8", env: { ...process.env, ROLLCALL_DATA_DIR: path.join(root, "unused"), DATABASE_URL: "" } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/db restore needs exactly one FILE/);
    expect(r.stderr).toMatch(/rollcall db restore FILE \[--force\]/);
  });
});
