// Checks the environment at start; a wrong value fails with a message naming the variable.
import { availableParallelism } from "node:os";
import { ConfigError, readDbConfig, type DbConfig } from "@/db/config";
import { readReplicaConfig, type ReplicaConfig } from "@/db/replica-config";
import { trustProxyProblem } from "@/lib/auth/client-ip";
import { oidcConfigProblem } from "@/lib/auth/oidc-config";
import { checkAuthSecret } from "@/lib/auth/secret";
import { MailConfigError, readMailConfig, type MailConfig } from "@/lib/notifications/mail-config";

export type ServerEnv = {
  port: number;
  /** Server processes sharing the port (PostgreSQL only; the embedded database is one process's). */
  workers: number;
  nextAuthUrl: string;
  /** Reverse proxies in front whose X-Forwarded-For entries count (0: the socket address only). */
  trustProxy: number;
  db: DbConfig;
  /** DATABASE_REPLICA_URL: a streaming standby for page and API reads (PostgreSQL only). */
  replica: ReplicaConfig | null;
  oidc: { issuer: string; clientId: string; clientSecret: string; roleClaim?: string } | null;
  /** Email (SMTP_URL, MAIL_FROM); null: email is off. */
  mail: MailConfig | null;
};

type Env = Record<string, string | undefined>;

export function readServerEnv(env: Env = process.env, cores = availableParallelism()): ServerEnv {
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
  const trustProblem = trustProxyProblem(env);
  if (trustProblem) throw asConfigError(trustProblem);
  const trustProxy = Number(env.TRUST_PROXY?.trim() || 0);
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
  const mail = readMail(env);
  const replica = readReplicaConfig(env);
  return { port, nextAuthUrl, trustProxy, db, replica, oidc, mail, workers: readWorkers(env, db, cores) };
}

/**
 * WEB_CONCURRENCY: server processes on one port (PostgreSQL only). Default on PostgreSQL: 2, or 1 on
 * a single core. Rendering a page takes ~13 ms of one core; with one process, requests that arrive
 * together wait for each other, and with Poisson arrivals at 50 req/s on 2 cores the rollout page's
 * p95 was 135-230 ms with one process and 98-101 ms with two. The embedded database allows one.
 */
function readWorkers(env: Env, db: DbConfig, cores: number): number {
  const raw = env.WEB_CONCURRENCY?.trim();
  if (!raw) return db.kind === "pglite" ? 1 : Math.min(2, cores);
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 64) throw new ConfigError("WEB_CONCURRENCY", `must be a number of server processes from 1 to 64, not "${raw}"`);
  if (n > 1 && db.kind === "pglite") {
    throw new ConfigError("WEB_CONCURRENCY", "must be 1 with the embedded database (one process holds it); set DATABASE_URL to run several");
  }
  return n;
}

function readMail(env: Env): MailConfig | null {
  try {
    return readMailConfig(env);
  } catch (error) {
    if (error instanceof MailConfigError) throw asConfigError(error.message);
    throw error;
  }
}

/** "OIDC_ISSUER must be …" → ConfigError("OIDC_ISSUER", "must be …"), so every message starts with the variable. */
function asConfigError(problem: string): ConfigError {
  const [variable, ...rest] = problem.split(" ");
  return new ConfigError(variable, rest.join(" "));
}
