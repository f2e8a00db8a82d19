import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const cli = path.resolve(import.meta.dirname, "rollcall");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-cli-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function rollcall(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cli, args, { encoding: "utf8", env: { ...process.env, ROLLCALL_DATA_DIR: dataDir, DATABASE_URL: "", ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("rollcall CLI", () => {
  it("prints usage and exits 2 on an unknown command or flag", () => {
    const unknown = rollcall(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command "frobnicate"/);
    expect(unknown.err).toMatch(/Usage: rollcall <command>/);
    const flag = rollcall(["db", "migrate", "--force"]);
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/--force/);
    expect(flag.err).toMatch(/rollcall db migrate/);
  });

  it("refuses a non-numeric --scale with exit 2", () => {
    const r = rollcall(["db", "seed", "--scale", "lots"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--scale takes a whole number/);
  });

  it("names DATABASE_URL when the database cannot be reached", () => {
    const r = rollcall(["db", "migrate"], { DATABASE_URL: "postgres://postgres@127.0.0.1:1/rollcall" });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^rollcall: DATABASE_URL: cannot connect to the database/m);
    const malformed = rollcall(["db", "migrate"], { DATABASE_URL: "mysql://root@localhost/x" });
    expect(malformed.code).toBe(1);
    expect(malformed.err).toMatch(/DATABASE_URL: must start with postgres:\/\//);
  });

  it("migrates the embedded database, then refuses to open it while a server holds it", async () => {
    expect(rollcall(["db", "migrate"]).code).toBe(0);
    const server = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    fs.writeFileSync(path.join(dataDir, "pglite", "rollcall.lock"), JSON.stringify({ pid: server.pid, role: "server", startedAt: "" }));
    try {
      const r = rollcall(["db", "migrate"]);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/in use by a running Rollcall server \(pid \d+\)/);
      expect(r.err).toMatch(/\/admin\/users/);
    } finally {
      server.kill();
      fs.rmSync(path.join(dataDir, "pglite", "rollcall.lock"), { force: true });
    }
  });
});
