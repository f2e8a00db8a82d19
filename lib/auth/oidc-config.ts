// Single sign-on settings from the environment, and the mapping of a role claim to our roles.
import type { Role } from "@/db/schema";

export type OidcConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claim holding the role (dot path, e.g. `roles` or `realm_access.roles`); values named like our roles. */
  roleClaim: string | null;
  /** When true, an identity without a recognised role is refused instead of becoming a viewer. */
  roleRequired: boolean;
  /** OIDC_LINK_BY_EMAIL=true: an identity with a verified email takes over the unlinked account with that email. */
  linkByEmail: boolean;
  name: string;
};

const RANK: Role[] = ["viewer", "helpdesk", "editor", "admin"];

export function readOidcConfig(env: Record<string, string | undefined>): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim();
  const clientId = env.OIDC_CLIENT_ID?.trim();
  const clientSecret = env.OIDC_CLIENT_SECRET;
  if (!issuer && !clientId && !clientSecret) return null;
  const problem = oidcConfigProblem(env);
  if (problem) throw new Error(problem);
  return {
    issuer: issuer!,
    clientId: clientId!,
    clientSecret: clientSecret!,
    roleClaim: env.OIDC_ROLE_CLAIM?.trim() || null,
    roleRequired: env.OIDC_ROLE_REQUIRED === "true",
    linkByEmail: env.OIDC_LINK_BY_EMAIL === "true",
    name: env.OIDC_NAME?.trim() || "Single sign-on",
  };
}

/** A message naming the wrong variable, or null (the start script calls this). */
export function oidcConfigProblem(env: Record<string, string | undefined>): string | null {
  const issuer = env.OIDC_ISSUER?.trim();
  const set = [issuer, env.OIDC_CLIENT_ID?.trim(), env.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (set === 0) return null;
  if (!issuer) return "OIDC_ISSUER must be set when OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is.";
  if (!env.OIDC_CLIENT_ID?.trim()) return "OIDC_CLIENT_ID must be set when OIDC_ISSUER is.";
  if (!env.OIDC_CLIENT_SECRET) return "OIDC_CLIENT_SECRET must be set when OIDC_ISSUER is.";
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return `OIDC_ISSUER is not a URL: ${issuer}`;
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) return "OIDC_ISSUER must be an https URL.";
  if (env.OIDC_ROLE_REQUIRED && !["true", "false"].includes(env.OIDC_ROLE_REQUIRED)) return "OIDC_ROLE_REQUIRED must be true or false.";
  if (env.OIDC_LINK_BY_EMAIL && !["true", "false"].includes(env.OIDC_LINK_BY_EMAIL)) return "OIDC_LINK_BY_EMAIL must be true or false.";
  return null;
}

/** The highest of our roles named in the claim (string, array, or space/comma separated), or null. */
export function roleFromClaims(claims: Record<string, unknown>, claimPath: string | null): Role | null {
  if (!claimPath) return null;
  let value: unknown = claims;
  for (const key of claimPath.split(".")) {
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  }
  const values = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[\s,]+/) : [];
  let best = -1;
  for (const v of values) {
    if (typeof v !== "string") continue;
    const rank = RANK.indexOf(v.trim().toLowerCase() as Role);
    if (rank > best) best = rank;
  }
  return best >= 0 ? RANK[best] : null;
}
