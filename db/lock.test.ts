import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirLockedError } from "./errors";
import { acquireDataDirLock, readLock, releaseDataDirLock } from "./lock";

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-lock-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("data directory lock", () => {
  it("refuses a second process while the holder is alive, naming it", async () => {
    const dir = tempDir();
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"]);
    fs.writeFileSync(path.join(dir, "rollcall.lock"), JSON.stringify({ pid: holder.pid, role: "server", startedAt: "" }));
    try {
      expect(() => acquireDataDirLock(dir, "cli")).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dir, "cli")).toThrow(/another Rollcall \(server, pid \d+\) is running/);
    } finally {
      holder.kill();
    }
  });

  it("takes over the lock of a process that died", async () => {
    const dir = tempDir();
    const dead = spawn(process.execPath, ["-e", "0"]);
    await new Promise((r) => dead.on("exit", r));
    fs.writeFileSync(path.join(dir, "rollcall.lock"), JSON.stringify({ pid: dead.pid, role: "server", startedAt: "" }));
    acquireDataDirLock(dir, "cli");
    expect(readLock(dir)?.pid).toBe(process.pid);
    releaseDataDirLock(dir);
    expect(readLock(dir)).toBeNull();
  });
});
