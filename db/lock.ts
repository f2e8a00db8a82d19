// PGlite has no cross-process lock: two processes on one data directory corrupt it.
// A lock file with the holder's pid keeps a second one out (a stale file of a dead pid is taken over).
import fs from "node:fs";
import path from "node:path";
import { DataDirLockedError } from "./errors";

type LockInfo = { pid: number; role: string; startedAt: string };

const held = new Set<string>();

function lockPath(dataDir: string) {
  return path.join(dataDir, "rollcall.lock");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live process holding the data directory, if any (a stale file of a dead pid is no holder). */
export function liveLockHolder(dataDir: string): LockInfo | null {
  const info = readLock(dataDir);
  return info && isAlive(info.pid) ? info : null;
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

let exitHookInstalled = false;

/** One exit listener for every directory this process holds (tests open and close many). */
function releaseAtExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const dir of [...held]) releaseDataDirLock(dir);
  });
}

export function acquireDataDirLock(dataDir: string, role: string): void {
  if (held.has(dataDir)) return;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockPath(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, "wx", 0o600);
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, role, startedAt: new Date().toISOString() }));
      fs.closeSync(fd);
      held.add(dataDir);
      releaseAtExit();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = liveLockHolder(dataDir);
      if (holder && holder.pid !== process.pid) throw new DataDirLockedError(dataDir, holder.pid, holder.role);
      // Stale (holder died) or unreadable half-written file: take it over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

export function releaseDataDirLock(dataDir: string): void {
  if (!held.delete(dataDir)) return;
  const info = readLock(dataDir);
  if (info?.pid === process.pid) fs.rmSync(lockPath(dataDir), { force: true });
}
