// Entry point of `npx rollcall`: a thin shell over lib/ and db/. Exit codes: 0 done, 1 failed,
// 2 bad arguments, 3 the embedded database is held by a running server.
import { closeContext, CliError, makeContext, UsageError, type CliCommand } from "./cli-context";
import { dbCommand } from "./commands/db";
import { eventsCommand } from "./commands/events";
import { tokenCommand } from "./commands/token";
import { userCommand } from "./commands/user";

const COMMANDS: CliCommand[] = [dbCommand, userCommand, tokenCommand, eventsCommand];

function mainUsage(): string {
  return [
    "Usage: rollcall <command> [options]",
    "",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(8)}${c.summary}`),
    "",
    "Run `rollcall <command> --help` for the options of one command.",
    "The database is DATABASE_URL (PostgreSQL) or, without it, the embedded one in ./.data/.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const ctx = makeContext();
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    (name ? ctx.out : ctx.err)(mainUsage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    ctx.err(`rollcall: unknown command "${name}"\n\n${mainUsage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    ctx.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, ctx);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      ctx.err(`rollcall ${name}: ${(error as Error).message}\n\n${command.usage}`);
      return 2;
    }
    if (error instanceof CliError) {
      ctx.err(`rollcall ${name}: ${error.message}`);
      return error.exitCode;
    }
    if ((error as Error)?.name === "ConfigError") {
      ctx.err(`rollcall: ${(error as Error).message}`);
      return 1;
    }
    ctx.err(`rollcall ${name}: failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await closeContext().catch(() => undefined);
  }
}

// Ctrl-C or SIGTERM during long work (a scale seed): close the database cleanly, then stop.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nrollcall: ${signal}, closing the database…\n`);
    closeContext().finally(() => process.exit(130));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
