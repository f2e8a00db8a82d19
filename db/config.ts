// Database settings from the environment, checked once; a wrong value names the variable.
import path from "node:path";

export type DbConfig =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; dataDir: string };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

/** Where Rollcall keeps what it generates for itself (embedded database, secret, demo logins). */
export function dataRoot(env: Record<string, string | undefined> = process.env): string {
  return path.resolve(env.ROLLCALL_DATA_DIR || path.join(/* turbopackIgnore: true */ process.cwd(), ".data"));
}

export function readDbConfig(env: Record<string, string | undefined> = process.env): DbConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { kind: "pglite", dataDir: path.join(dataRoot(env), "pglite") };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("DATABASE_URL", "is not a URL (expected postgres://user@host:5432/database)");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConfigError("DATABASE_URL", `must start with postgres:// or postgresql://, not ${parsed.protocol}//`);
  }
  if (!parsed.hostname) throw new ConfigError("DATABASE_URL", "names no host");
  if (parsed.pathname.length <= 1) throw new ConfigError("DATABASE_URL", "names no database (add /rollcall at the end)");
  return { kind: "postgres", url };
}
