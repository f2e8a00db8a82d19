// Checks the environment at start; a wrong value fails with a message naming the variable.
import { ConfigError, readDbConfig, type DbConfig } from "@/db/config";
import { oidcConfigProblem } from "@/lib/auth/oidc-config";
import { checkAuthSecret } from "@/lib/auth/secret";

export type ServerEnv = {
  port: number;
  /** Server processes sharing the port (PostgreSQL only; the embedded database is one process's). */
  workers: number;
  nextAuthUrl: string;
  db: DbConfig;
  oidc: { issuer: string; clientId: string; clientSecret: string; roleClaim?: string } | null;
};

type Env = Record<string, string | undefined>;

export function readServerEnv(env: Env = process.env): ServerEnv {
  const rawPort = env.PORT?.trim() || "3000";
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 1 || port > 65535) {
    throw new ConfigError("PORT", `must be a port number from 1 to 65535, not "${rawPort}"`);
  }
  const nextAuthUrl = env.NEXTAUTH_URL?.trim() || `http://localhost:${port}`;
  try {
    const u = new URL(nextAuthUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError("NEXTAUTH_URL", `must be the http(s) address users open, e.g. http://localhost:${port}, not "${nextAuthUrl}"`);
  }
  const authSecretProblem = checkAuthSecret(env.AUTH_SECRET?.trim());
  if (authSecretProblem) throw asConfigError(authSecretProblem);
  const oidcProblem = oidcConfigProblem(env);
  if (oidcProblem) throw asConfigError(oidcProblem);
  const oidc: ServerEnv["oidc"] = env.OIDC_ISSUER?.trim()
    ? {
        issuer: env.OIDC_ISSUER.trim(),
        clientId: env.OIDC_CLIENT_ID!.trim(),
        clientSecret: env.OIDC_CLIENT_SECRET!,
        roleClaim: env.OIDC_ROLE_CLAIM?.trim() || undefined,
      }
    : null;
  const db = readDbConfig(env);
  return { port, nextAuthUrl, db, oidc, workers: readWorkers(env, db) };
}

/**
 * WEB_CONCURRENCY: server processes on one port (PostgreSQL only). Default 1: on 2 cores, where
 * PostgreSQL needs CPU too, two processes gave a better median but worse p95/p99 at 50 req/s.
 */
function readWorkers(env: Env, db: DbConfig): number {
  const raw = env.WEB_CONCURRENCY?.trim();
  if (!raw) return 1;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 64) throw new ConfigError("WEB_CONCURRENCY", `must be a number of server processes from 1 to 64, not "${raw}"`);
  if (n > 1 && db.kind === "pglite") {
    throw new ConfigError("WEB_CONCURRENCY", "must be 1 with the embedded database (one process holds it); set DATABASE_URL to run several");
  }
  return n;
}

/** "OIDC_ISSUER must be …" → ConfigError("OIDC_ISSUER", "must be …"), so every message starts with the variable. */
function asConfigError(problem: string): ConfigError {
  const [variable, ...rest] = problem.split(" ");
  return new ConfigError(variable, rest.join(" "));
}
