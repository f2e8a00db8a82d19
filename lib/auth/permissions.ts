// Roles are data, checks are one function. Every page, route handler and server action asks
// `assertCan(actor, action)` in the data-access layer before it reads or writes.
import type { Role } from "@/db/schema";
import { HttpError } from "@/lib/http/problem";
import type { Actor, TokenScope } from "./actor";

const ALL: readonly Role[] = ["viewer", "helpdesk", "editor", "admin"];
const STAFF: readonly Role[] = ["editor", "admin"];
const ADMIN: readonly Role[] = ["admin"];

/** action → roles allowed, and the token scope that grants it to an API token. */
export const PERMISSIONS = {
  "dashboard.read": { roles: ALL, scope: "read" },
  "update.read": { roles: ALL, scope: "read" },
  "update.write": { roles: STAFF, scope: "manage" },
  "rollout.read": { roles: ALL, scope: "read" },
  "rollout.write": { roles: STAFF, scope: "manage" },
  "wave.action": { roles: STAFF, scope: "manage" },
  // Offline media steps per machine (issue #21): helpdesk may record only `received` and appointments (checked in lib/rollouts/media.ts).
  "media.record": { roles: ["helpdesk", "editor", "admin"], scope: "manage" },
  "device.read": { roles: ALL, scope: "read" },
  "inventory.write": { roles: STAFF, scope: "inventory" },
  "events.ingest": { roles: STAFF, scope: "ingest" },
  "known_issue.read": { roles: ALL, scope: "read" },
  "known_issue.write": { roles: STAFF, scope: "manage" },
  // A ticketing system links its tickets to known issues with a `report` token.
  "helpdesk_report.create": { roles: ["helpdesk", "editor", "admin"], scope: "report" },
  "search.read": { roles: ALL, scope: "read" },
  "feed.read": { roles: ALL, scope: "read" },
  "metrics.read": { roles: ALL, scope: "read" },
  "user.manage": { roles: ADMIN, scope: null },
  "token.manage": { roles: ADMIN, scope: null },
  "audit.read": { roles: ADMIN, scope: null },
  // Session only: a webhook sends events (and signs with its secret) to an address its creator chooses (issue #19).
  "webhook.manage": { roles: ADMIN, scope: null },
} as const satisfies Record<string, { roles: readonly Role[]; scope: TokenScope | null }>;

export type Action = keyof typeof PERMISSIONS;

/**
 * A token scope also grants the scopes it implies: `manage` (what an editor may change) includes
 * `read`, so a manage token sees what it changes and gets its answer back instead of a 403 after
 * the write (issue #14). `ingest` and `inventory` stay write-only.
 */
export const IMPLIED_SCOPES: Readonly<Partial<Record<TokenScope, readonly TokenScope[]>>> = { manage: ["read"] };

function tokenHasScope(scopes: readonly TokenScope[], scope: TokenScope): boolean {
  return scopes.some((s) => s === scope || (IMPLIED_SCOPES[s]?.includes(scope) ?? false));
}

export function can(actor: Actor | null | undefined, action: Action): boolean {
  if (!actor) return false;
  const rule = PERMISSIONS[action];
  if (actor.kind === "system") return true;
  if (actor.kind === "user") return (rule.roles as readonly Role[]).includes(actor.role);
  return rule.scope !== null && tokenHasScope(actor.scopes, rule.scope);
}

/** 401 without an actor, 403 when the actor may not; returns the actor narrowed to non-null. */
export function assertCan(actor: Actor | null | undefined, action: Action): Actor {
  if (!actor) throw new HttpError(401, "Sign in or send an API token (Authorization: Bearer …).");
  if (!can(actor, action)) {
    throw new HttpError(403, `Not allowed: ${action} needs ${describeRule(action)}.`);
  }
  return actor;
}

function describeRule(action: Action): string {
  const rule = PERMISSIONS[action];
  const roles = `role ${rule.roles.join(" or ")}`;
  return rule.scope ? `${roles}, or a token with scope "${rule.scope}"` : roles;
}

/**
 * Whether a token owner with `role` may still use `scope`: only when the role may do every action
 * the scope grants. So `read` needs any role, and `manage`, `ingest` and `inventory` need editor
 * or admin; a demoted owner's tokens lose the scopes their new role does not cover (issue #14).
 */
export function roleCoversScope(role: Role, scope: TokenScope): boolean {
  return Object.values(PERMISSIONS).every((rule) => rule.scope !== scope || (rule.roles as readonly Role[]).includes(role));
}
