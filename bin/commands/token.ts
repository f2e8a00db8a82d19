// `rollcall token create | revoke | list` — API tokens for the distribution tool and scripts. The
// token is printed once; only its SHA-256 is stored.
import { parseArgs } from "node:util";
import { CliError, UsageError, type CliCommand, type CliContext } from "../cli-context";
import { cliActor, dal } from "./user";

const SCOPES = ["read", "ingest", "inventory", "manage"] as const;

const USAGE = `Usage:
  rollcall token create --name N --scopes a,b [--expires 90d]
                     scopes: ${SCOPES.join(", ")}; --expires as 12h, 90d, 2w, 1y, an ISO date or never
                     (default never). Prints the token once.
  rollcall token revoke --id ID
  rollcall token list [--all]        --all includes revoked tokens`;

function scopes(value: string | undefined): (typeof SCOPES)[number][] {
  if (!value?.trim()) throw new UsageError("--scopes is required (comma-separated)");
  const list = value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = list.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new UsageError(`unknown scope ${unknown.map((s) => `"${s}"`).join(", ")}; use ${SCOPES.join(", ")}`);
  return list as (typeof SCOPES)[number][];
}

function fmt(date: Date | null): string {
  return date ? date.toISOString().slice(0, 16).replace("T", " ") : "—";
}

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  const tokens = () => import("@/lib/auth/tokens");
  switch (sub) {
    case "create": {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: "string" }, scopes: { type: "string" }, expires: { type: "string" } },
        strict: true,
        allowPositionals: false,
      });
      if (!values.name?.trim()) throw new UsageError("--name is required");
      const list = scopes(values.scopes);
      const { createApiToken, parseExpiry } = await tokens();
      let expiresAt: Date | null = null;
      try {
        expiresAt = values.expires ? parseExpiry(values.expires) : null;
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      await ctx.openDb();
      const created = await dal(() => createApiToken(cliActor(), { name: values.name!, scopes: list, expiresAt }));
      ctx.out(`Token ${created.id} "${created.name}" (scopes ${created.scopes.join(", ")}; expires ${created.expiresAt ? created.expiresAt.toISOString() : "never"}).`);
      ctx.out("Copy it now; it is not shown again:");
      ctx.out(created.token);
      return 0;
    }
    case "revoke": {
      const { values } = parseArgs({ args: rest, options: { id: { type: "string" } }, strict: true, allowPositionals: false });
      const id = Number(values.id);
      if (!values.id || !Number.isInteger(id) || id <= 0) throw new UsageError("--id takes the token's number (see `rollcall token list`)");
      await ctx.openDb();
      const { revokeApiToken } = await tokens();
      await dal(() => revokeApiToken(cliActor(), { id })).catch((error) => {
        if (error instanceof CliError && /No such token/.test(error.message)) throw new CliError(`No token with id ${id}.`);
        throw error;
      });
      ctx.out(`Token ${id} is revoked; requests with it now get 401.`);
      return 0;
    }
    case "list": {
      const { values } = parseArgs({ args: rest, options: { all: { type: "boolean" } }, strict: true, allowPositionals: false });
      await ctx.openDb();
      const { listApiTokens } = await tokens();
      const list = await listApiTokens(cliActor(), { includeRevoked: Boolean(values.all) });
      if (list.length === 0) ctx.out("No tokens.");
      for (const t of list) {
        const state = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt.getTime() <= Date.now() ? "expired" : "active";
        ctx.out(`${String(t.id).padStart(4)}  ${state.padEnd(8)}${t.prefix}…  ${t.name}  [${t.scopes.join(",")}]  last used ${fmt(t.lastUsedAt)}  expires ${fmt(t.expiresAt)}`);
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown subcommand "${sub}"` : "missing subcommand");
  }
}

export const tokenCommand: CliCommand = { name: "token", summary: "create, list and revoke API tokens", usage: USAGE, run };
