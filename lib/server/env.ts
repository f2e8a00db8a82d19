// Checks the environment at start; a wrong value fails with a message naming the variable.
import { ConfigError, readDbConfig, type DbConfig } from "@/db/config";

export type ServerEnv = {
  port: number;
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
  const oidcVars = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;
  const setOidc = oidcVars.filter((v) => env[v]?.trim());
  let oidc: ServerEnv["oidc"] = null;
  if (setOidc.length > 0 && setOidc.length < oidcVars.length) {
    const missing = oidcVars.filter((v) => !setOidc.includes(v));
    throw new ConfigError(missing[0], `is needed for single sign-on because ${setOidc.join(", ")} ${setOidc.length > 1 ? "are" : "is"} set`);
  }
  if (setOidc.length === oidcVars.length) {
    try {
      new URL(env.OIDC_ISSUER!);
    } catch {
      throw new ConfigError("OIDC_ISSUER", `must be the issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0`);
    }
    oidc = {
      issuer: env.OIDC_ISSUER!.trim(),
      clientId: env.OIDC_CLIENT_ID!.trim(),
      clientSecret: env.OIDC_CLIENT_SECRET!.trim(),
      roleClaim: env.OIDC_ROLE_CLAIM?.trim() || undefined,
    };
  }
  return { port, nextAuthUrl, db: readDbConfig(env), oidc };
}
