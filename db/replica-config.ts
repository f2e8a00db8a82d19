// The optional read replica's settings: DATABASE_REPLICA_URL (a PostgreSQL streaming standby of
// DATABASE_URL) and REPLICA_MAX_LAG_SECONDS (how far behind it may be before reads go back to the primary).
import { ConfigError } from "./config";

export type ReplicaConfig = { url: string; maxLagSeconds: number };

export const DEFAULT_REPLICA_MAX_LAG_SECONDS = 30;

type Env = Record<string, string | undefined>;

/** null when no replica is configured; a wrong value throws a ConfigError naming the variable. */
export function readReplicaConfig(env: Env = process.env): ReplicaConfig | null {
  const url = env.DATABASE_REPLICA_URL?.trim();
  const rawLag = env.REPLICA_MAX_LAG_SECONDS?.trim();
  const maxLagSeconds = rawLag ? Number(rawLag) : DEFAULT_REPLICA_MAX_LAG_SECONDS;
  if (rawLag && (!/^\d+(\.\d+)?$/.test(rawLag) || maxLagSeconds <= 0 || maxLagSeconds > 86_400)) {
    throw new ConfigError("REPLICA_MAX_LAG_SECONDS", `must be a number of seconds above 0 and at most 86400, not "${rawLag}"`);
  }
  if (!url) return null;
  // A replica serves reads of a PostgreSQL primary; the embedded database has none.
  if (!env.DATABASE_URL?.trim()) {
    throw new ConfigError("DATABASE_REPLICA_URL", "needs DATABASE_URL (a replica is a standby of a PostgreSQL primary; the embedded database has none)");
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("DATABASE_REPLICA_URL", "is not a URL (expected postgres://user@replica-host:5432/database)");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConfigError("DATABASE_REPLICA_URL", `must start with postgres:// or postgresql://, not ${parsed.protocol}//`);
  }
  if (!parsed.hostname) throw new ConfigError("DATABASE_REPLICA_URL", "names no host");
  if (parsed.pathname.length <= 1) throw new ConfigError("DATABASE_REPLICA_URL", "names no database (the same database name as DATABASE_URL's)");
  return { url, maxLagSeconds };
}
