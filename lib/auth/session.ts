import "server-only";
// Interim: the sign-in issue replaces this with the next-auth session lookup (user id, role,
// session version checked against the database on every request).
import type { Actor } from "./actor";

export async function getPageActor(): Promise<Actor> {
  return { kind: "system", label: "preview" };
}
