// What every CLI command gets: output streams, stdin, and the configured database opened on demand
// (the embedded one is locked while a server runs: the command then says so and exits).
import { assertReachable, openDatabase, useDbHandle, type DbHandle } from "@/db/client";
import { readDbConfig } from "@/db/config";
import { DataDirLockedError } from "@/db/errors";
import { migrateDatabase } from "@/db/migrate";

export type CliContext = {
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: NodeJS.ReadableStream;
  /** Opens (and migrates) the configured database once; closed by the CLI on exit. */
  openDb: () => Promise<DbHandle>;
  /** Rewrites one status line in place on a terminal (progress), or prints it otherwise. */
  progress: (line: string) => void;
};

export type CliCommand = {
  name: string;
  summary: string;
  usage: string;
  run: (argv: string[], ctx: CliContext) => Promise<number>;
};

/** Bad arguments: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  name = "UsageError";
}

/** A refusal the user can act on (exit 1, message only, no stack trace). */
export class CliError extends Error {
  name = "CliError";
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

let opened: DbHandle | undefined;

export function makeContext(): CliContext {
  return {
    out: (line) => process.stdout.write(line + "\n"),
    err: (line) => process.stderr.write(line + "\n"),
    stdin: process.stdin,
    progress: (line) => {
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
      else process.stderr.write(line + "\n");
    },
    openDb: async () => {
      if (opened) return opened;
      try {
        opened = await openDatabase(readDbConfig(), "cli");
      } catch (error) {
        if (error instanceof DataDirLockedError) {
          throw new CliError(
            `The embedded database is in use by a running Rollcall server (pid ${error.holderPid}). ` +
              `Stop the server first, or do this in the web app: users at /admin/users, tokens at /admin/tokens.`,
            3,
          );
        }
        throw error;
      }
      await assertReachable(opened).catch((error) => {
        opened = undefined;
        throw error;
      });
      await migrateDatabase(opened);
      useDbHandle(opened);
      return opened;
    },
  };
}

export async function closeContext(): Promise<void> {
  await opened?.close();
  opened = undefined;
}
