// `rollcall user add | set-role | disable | enable | reset-password | list` — the same rules as
// /admin/users (password policy, last-admin guard, audit entry), acting as the system.
import os from "node:os";
import { parseArgs } from "node:util";
import type { SystemActor } from "@/lib/auth/actor";
import { HttpError } from "@/lib/http/problem";
import { CliError, UsageError, type CliCommand, type CliContext } from "../cli-context";

const ROLE_NAMES = ["viewer", "helpdesk", "editor", "admin"] as const;

const USAGE = `Usage:
  rollcall user add --email E --role R [--name N] [--generate-password]
                     password from stdin (first line), or generated and printed once when stdin
                     is a terminal or with --generate-password
  rollcall user set-role --email E --role R
  rollcall user disable --email E       ends the user's sessions; tokens they own stop working
  rollcall user enable --email E
  rollcall user reset-password --email E [--generate-password]
  rollcall user list
  rollcall user link-sso --email E --subject S [--issuer I]
                     single sign-on with issuer I (default OIDC_ISSUER) and subject S (the sub
                     claim) signs in as this existing account from now on; ends its sessions
Roles: ${ROLE_NAMES.join(", ")}.`;

export function cliActor(): SystemActor {
  let who = "unknown";
  try {
    who = os.userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return { kind: "system", label: `cli:${who}` };
}

function role(value: string | undefined): (typeof ROLE_NAMES)[number] {
  if (!value) throw new UsageError("--role is required");
  const r = value.trim().toLowerCase();
  if (!(ROLE_NAMES as readonly string[]).includes(r)) throw new UsageError(`unknown role "${value}"; use one of ${ROLE_NAMES.join(", ")}`);
  return r as (typeof ROLE_NAMES)[number];
}

function email(value: string | undefined): string {
  if (!value?.trim()) throw new UsageError("--email is required");
  return value.trim();
}

/** The first line of stdin (at most 4 KiB), or null when stdin is a terminal. */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream): Promise<string | null> {
  if ((stdin as NodeJS.ReadStream).isTTY) return null;
  let text = "";
  for await (const chunk of stdin) {
    text += chunk.toString();
    if (text.length > 4096 || text.includes("\n")) break;
  }
  const line = text.split(/\r?\n/)[0] ?? "";
  if (line.length === 0) throw new CliError("No password on stdin. Pipe one in, or use --generate-password.", 2);
  return line;
}

/** DAL refusals become plain messages (exit 1), with the per-field reasons. */
export async function dal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) {
      const fields = Array.isArray(error.extra.errors)
        ? (error.extra.errors as { message?: string }[]).map((e) => e.message ?? "").filter((m) => m && m !== error.message)
        : [];
      throw new CliError([error.message, ...fields].join("\n  "), 1);
    }
    throw error;
  }
}

async function userByEmail(address: string) {
  const { findUserByEmail } = await import("@/lib/auth/users");
  const user = await findUserByEmail(cliActor(), address);
  if (!user) throw new CliError(`No user with the email ${address}.`);
  return user;
}

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  const users = () => import("@/lib/auth/users");
  switch (sub) {
    case "add": {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, "generate-password": { type: "boolean" } },
        strict: true,
        allowPositionals: false,
      });
      const input = { email: email(values.email), role: role(values.role), name: values.name ?? "" };
      const password = values["generate-password"] ? null : await readPasswordFromStdin(ctx.stdin);
      await ctx.openDb();
      const { createUser } = await users();
      const { user, generatedPassword } = await dal(() => createUser(cliActor(), { ...input, password: password ?? undefined }));
      ctx.out(`Created ${user.role} ${user.email} (id ${user.id}).`);
      if (generatedPassword) ctx.out(`Password (shown once): ${generatedPassword}`);
      return 0;
    }
    case "set-role": {
      const { values } = parseArgs({ args: rest, options: { email: { type: "string" }, role: { type: "string" } }, strict: true, allowPositionals: false });
      const address = email(values.email);
      const newRole = role(values.role);
      await ctx.openDb();
      const user = await userByEmail(address);
      const { setUserRole } = await users();
      const { user: updated, before } = await dal(() => setUserRole(cliActor(), { id: user.id, role: newRole }));
      ctx.out(before === null ? `${updated.email} is ${updated.role} already; nothing changed.` : `${updated.email} is now ${updated.role} (was ${before}); their sessions have ended.`);
      return 0;
    }
    case "disable":
    case "enable": {
      const { values } = parseArgs({ args: rest, options: { email: { type: "string" } }, strict: true, allowPositionals: false });
      const address = email(values.email);
      await ctx.openDb();
      const user = await userByEmail(address);
      const { setUserDisabled } = await users();
      await dal(() => setUserDisabled(cliActor(), { id: user.id, disabled: sub === "disable" }));
      ctx.out(sub === "disable" ? `${user.email} is disabled; their sessions and tokens stopped working.` : `${user.email} is enabled.`);
      return 0;
    }
    case "reset-password": {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: "string" }, "generate-password": { type: "boolean" } },
        strict: true,
        allowPositionals: false,
      });
      const address = email(values.email);
      const password = values["generate-password"] ? null : await readPasswordFromStdin(ctx.stdin);
      await ctx.openDb();
      const user = await userByEmail(address);
      const { resetUserPassword } = await users();
      const { generatedPassword } = await dal(() => resetUserPassword(cliActor(), { id: user.id, password: password ?? undefined }));
      ctx.out(`Password of ${user.email} changed; their sessions have ended.`);
      if (generatedPassword) ctx.out(`Password (shown once): ${generatedPassword}`);
      return 0;
    }
    case "link-sso": {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: "string" }, subject: { type: "string" }, issuer: { type: "string" } },
        strict: true,
        allowPositionals: false,
      });
      const address = email(values.email);
      const subject = values.subject?.trim();
      if (!subject) throw new UsageError("--subject is required (the identity's sub claim)");
      const issuer = (values.issuer ?? process.env.OIDC_ISSUER ?? "").trim();
      if (!issuer) throw new UsageError("--issuer is required when OIDC_ISSUER is not set");
      await ctx.openDb();
      const user = await userByEmail(address);
      const { linkSsoIdentity } = await users();
      await dal(() => linkSsoIdentity(cliActor(), { id: user.id, issuer, subject }));
      ctx.out(`${user.email} now signs in with single sign-on as ${subject} (${issuer}); their sessions have ended.`);
      return 0;
    }
    case "list": {
      parseArgs({ args: rest, options: {}, strict: true, allowPositionals: false });
      await ctx.openDb();
      const { listUsers } = await users();
      const list = await listUsers(cliActor());
      if (list.length === 0) ctx.out("No users yet. Create the first admin: echo '<password>' | npx rollcall user add --email you@example.com --role admin");
      for (const u of list) {
        ctx.out(`${String(u.id).padStart(4)}  ${u.role.padEnd(9)}${u.disabled ? "disabled " : "         "}${u.email}${u.name ? `  (${u.name})` : ""}${u.sso ? "  [sso]" : ""}`);
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown subcommand "${sub}"` : "missing subcommand");
  }
}

export const userCommand: CliCommand = { name: "user", summary: "add users, change roles, disable, reset passwords", usage: USAGE, run };
