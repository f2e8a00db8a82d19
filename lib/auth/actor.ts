// Who is asking: a signed-in user or an API token. Every DAL function takes one.
import type { Role } from "@/db/schema";

export const TOKEN_SCOPES = ["read", "ingest", "inventory", "manage", "report"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export type UserActor = {
  kind: "user";
  userId: number;
  email: string;
  name: string;
  role: Role;
  ip?: string;
};

export type TokenActor = {
  kind: "token";
  tokenId: number;
  name: string;
  scopes: TokenScope[];
  ownerId: number | null;
  ip?: string;
};

/** The CLI and the seed act as the system (someone with shell access to the server). */
export type SystemActor = { kind: "system"; label: string };

export type Actor = UserActor | TokenActor | SystemActor;

export function actorLabel(actor: Actor): string {
  if (actor.kind === "user") return actor.email;
  if (actor.kind === "token") return `token:${actor.name}`;
  return actor.label;
}
