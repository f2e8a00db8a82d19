import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const cli = path.resolve(import.meta.dirname, "..", "rollcall");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-user-cli-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function rollcall(args: string[], input = "") {
  const r = spawnSync(cli, args, { encoding: "utf8", input, env: { ...process.env, ROLLCALL_DATA_DIR: dataDir, DATABASE_URL: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Each call starts Node and opens the embedded database: allow a few minutes on a busy machine.
describe("rollcall user and token", { timeout: 300_000 }, () => {
  it("refuses bad arguments with exit 2 before touching the database", () => {
    const role = rollcall(["user", "add", "--email", "a@example.test", "--role", "superuser"]);
    expect(role.code).toBe(2);
    expect(role.err).toMatch(/unknown role "superuser"; use one of viewer, helpdesk, editor, admin/);
    const scope = rollcall(["token", "create", "--name", "x", "--scopes", "read,write"]);
    expect(scope.code).toBe(2);
    expect(scope.err).toMatch(/unknown scope "write"/);
    const expires = rollcall(["token", "create", "--name", "x", "--scopes", "read", "--expires", "soon"]);
    expect(expires.code).toBe(2);
    expect(expires.err).toMatch(/--expires soon/);
    expect(fs.existsSync(path.join(dataDir, "pglite"))).toBe(false);
  });

  it("adds the first admin with a password from stdin, refuses a weak one, and keeps one admin enabled", () => {
    const weak = rollcall(["user", "add", "--email", "admin@example.test", "--role", "admin"], "qwerty123456\n");
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/commonly used/);
    const ok = rollcall(["user", "add", "--email", "admin@example.test", "--role", "admin", "--name", "Ada"], "a long and unusual passphrase\n");
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Created admin admin@example.test/);
    expect(ok.out + ok.err).not.toContain("a long and unusual passphrase");
    const generated = rollcall(["user", "add", "--email", "helper@example.test", "--role", "helpdesk", "--generate-password"]);
    expect(generated.out).toMatch(/Password \(shown once\): \S{20}/);
    const last = rollcall(["user", "disable", "--email", "admin@example.test"]);
    expect(last.code).toBe(1);
    expect(last.err).toMatch(/last enabled admin/);
    const role = rollcall(["user", "set-role", "--email", "HELPER@example.test", "--role", "editor"]);
    expect(role.code).toBe(0);
    expect(role.out).toMatch(/helper@example.test is now editor \(was helpdesk\)/);
    const list = rollcall(["user", "list"]);
    expect(list.out).toMatch(/admin\s+admin@example.test/);
    expect(list.out).not.toMatch(/argon2/);
  });

  it("creates a token printed once, lists it by prefix only, and revokes it", () => {
    const created = rollcall(["token", "create", "--name", "sccm", "--scopes", "ingest,read", "--expires", "90d"]);
    expect(created.code).toBe(0);
    const token = /^(rc_[A-Za-z0-9_-]{43})$/m.exec(created.out)?.[1];
    expect(token).toBeDefined();
    const list = rollcall(["token", "list"]);
    expect(list.out).toMatch(/active\s+rc_\S{7}…\s+sccm\s+\[ingest,read\]/);
    expect(list.out).not.toContain(token!);
    const id = /^\s*(\d+)\s+active/m.exec(list.out)![1];
    expect(rollcall(["token", "revoke", "--id", id]).code).toBe(0);
    expect(rollcall(["token", "list", "--all"]).out).toMatch(/revoked/);
    const missing = rollcall(["token", "revoke", "--id", "999"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No token with id 999/);
  });
});
