// `rollcall db backup FILE [--force]` and `rollcall db restore FILE [--force]` (db/backup.ts).
// Embedded database only: both take its lock, so while a server runs they exit 3 rather than copy
// a database that is being written. With DATABASE_URL they print the pg_dump / pg_restore recipe
// and exit 1: PostgreSQL's own tools do this better than we could, and must match the server.
import path from "node:path";
import { parseArgs } from "node:util";
import { backupPglite, BackupError, formatCounts, formatSize, postgresBackupRecipe, restorePglite } from "@/db/backup";
import { readDbConfig } from "@/db/config";
import { DataDirLockedError } from "@/db/errors";
import { CliError, UsageError, type CliContext } from "../cli-context";

export async function runBackupCommand(sub: "backup" | "restore", argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { force: { type: "boolean" } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1 || positionals[0].trim() === "") throw new UsageError(`db ${sub} needs exactly one FILE`);
  const file = path.resolve(positionals[0]);
  const config = readDbConfig();
  if (config.kind === "postgres") {
    ctx.err(`rollcall db ${sub}: works on the embedded database only; DATABASE_URL is set.`);
    ctx.out(postgresBackupRecipe(positionals[0]));
    return 1;
  }
  const force = Boolean(values.force);
  const started = Date.now();
  try {
    if (sub === "backup") {
      const { bytes, counts } = await backupPglite(config.dataDir, file, { force, onProgress: ctx.progress });
      ctx.out(`Backed up ${config.dataDir} to ${file} (${formatSize(bytes)}, ${((Date.now() - started) / 1000).toFixed(1)} s): ${formatCounts(counts)}.`);
      return 0;
    }
    const { counts, keptAside } = await restorePglite(file, config.dataDir, { force, onProgress: ctx.progress });
    ctx.out(`Restored ${file} into ${config.dataDir} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${formatCounts(counts)}.`);
    if (keptAside) ctx.out(`The previous database is in ${keptAside}; delete it once the restored one looks right.`);
    return 0;
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new CliError(
        `The embedded database is in use by a running Rollcall server (pid ${error.holderPid}). ` +
          `Stop the server first: a ${sub} needs the database to itself.`,
        3,
      );
    }
    if (error instanceof BackupError) throw new CliError(error.message);
    throw error;
  }
}
