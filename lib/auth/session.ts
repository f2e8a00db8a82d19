import "server-only";
// Pages ask `getPageActor()` who is signed in. The answer comes from the session cookie checked
// against the users row (disabled, role and session version) on every request; anonymous or
// signed-out visitors are sent to /login?next=<this page>.
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import type { Actor, UserActor } from "./actor";
import { clientIpFromHeaders } from "./client-ip";
import { HttpError } from "@/lib/http/problem";
import { assertCan, can, type Action } from "./permissions";
import { userActorFromClaims } from "./request-actor";
import { decodeSessionToken, readSessionCookie } from "./session-cookie";

/** Set by proxy.ts on every request so pages know where to come back to after sign-in. */
export const PATH_HEADER = "x-rollcall-path";

/** Only same-site relative paths; anything else (//evil, https://…, /\evil) falls back to "/". */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || value.length > 2000) return "/";
  if (/[\u0000-\u001f]/.test(value)) return "/";
  return value;
}

/** The signed-in user, or null; looked up once per request however many components ask. */
export const getSessionActor = cache(async function getSessionActor(): Promise<UserActor | null> {
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  const value = readSessionCookie(
    (name) => cookieStore.get(name)?.value,
    cookieStore.getAll().map((c) => c.name),
  );
  if (!value) return null;
  return userActorFromClaims(await decodeSessionToken(value), clientIpFromHeaders(headerStore));
});

export async function loginRedirectPath(): Promise<string> {
  const next = safeNextPath((await headers()).get(PATH_HEADER));
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}

/** The signed-in user; redirects anonymous (or signed-out) visitors to the login page. */
export async function getPageActor(): Promise<Actor> {
  const actor = await getSessionActor();
  if (!actor) redirect(await loginRedirectPath());
  return actor;
}

/** The signed-in user allowed to do `action`; otherwise the 403 page (app/forbidden.tsx). */
export async function requirePageAction(action: Action): Promise<UserActor> {
  const actor = await getSessionActor();
  if (!actor) redirect(await loginRedirectPath());
  if (!can(actor, action)) forbidden();
  return actor;
}

/**
 * For server actions (public POST endpoints; Next.js has checked their Origin already): the
 * signed-in user allowed to do `action`, or an HttpError 401/403.
 */
export async function requireActionActor(action: Action): Promise<UserActor> {
  const actor = await getSessionActor();
  if (!actor) throw new HttpError(401, "Your session has ended; sign in again.");
  assertCan(actor, action);
  return actor;
}
