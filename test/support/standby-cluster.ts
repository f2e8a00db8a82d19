// A throwaway PostgreSQL primary and a streaming standby of it (pg_basebackup -R), started by a test on
// this machine and removed by `cleanup`. The primary is a fresh cluster of its own rather than the
// server at TEST_DATABASE_URL: a base backup copies a whole cluster (every other test's databases),
// and that server need not accept replication connections; a cluster made here allows them (initdb's
// pg_hba.conf trusts local replication) and is ~40 MB.
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port";

const run = promisify(execFile);

export type Cluster = { dir: string; port: number; url: (database: string) => string };

export type StandbyPair = {
  primary: Cluster;
  standby: Cluster;
  stopStandby: () => Promise<void>;
  startStandby: () => Promise<void>;
  cleanup: () => Promise<void>;
};

function postgresBin(): string | null {
  const candidates = [process.env.PG_BIN, "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"].filter(Boolean) as string[];
  return candidates.find((dir) => ["initdb", "pg_ctl", "pg_basebackup"].every((tool) => existsSync(path.join(dir, tool)))) ?? null;
}

/** The standby pair, or why it cannot run here (printed by the caller as the reason to skip). */
export async function startStandbyPair(): Promise<StandbyPair | { skip: string }> {
  const bin = postgresBin();
  if (!bin) return { skip: "no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup); set PG_BIN" };
  // PostgreSQL refuses to run as root: as root, the clusters belong to the postgres user.
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    try {
      const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
      const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
      owner = { uid, gid };
    } catch {
      return { skip: "running as root and there is no postgres user to run the test clusters as" };
    }
  }
  const tool = (name: string, args: string[], timeout = 60_000) =>
    owner ? run("runuser", ["-u", "postgres", "--", path.join(bin, name), ...args], { timeout }) : run(path.join(bin, name), args, { timeout });

  const root = mkdtempSync(path.join(os.tmpdir(), "rollcall-replica-"));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const cluster = (name: string, port: number): Cluster => ({
    dir: path.join(root, name),
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
  });
  const primary = cluster("primary", primaryPort);
  const standby = cluster("standby", standbyPort);
  const options = (port: number) => `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB -c max_connections=30`;
  const start = (c: Cluster) => tool("pg_ctl", ["-D", c.dir, "-l", `${c.dir}.log`, "-w", "-t", "30", "-o", options(c.port), "start"]);
  const stop = (c: Cluster, mode: "fast" | "immediate") => tool("pg_ctl", ["-D", c.dir, "-m", mode, "-w", "-t", "30", "stop"]);

  const cleanup = async () => {
    for (const c of [standby, primary]) {
      if (existsSync(path.join(c.dir, "postmaster.pid"))) await stop(c, "immediate").catch(() => undefined);
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await tool("initdb", ["-D", primary.dir, "-U", "postgres", "-A", "trust", "--no-sync", "--no-instructions"]);
    await start(primary);
    await tool("pg_basebackup", ["-D", standby.dir, "-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-R", "-X", "stream", "-c", "fast", "--no-sync"]);
    await start(standby);
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    await cleanup();
    return { skip: `could not start a primary and a standby: ${(e.stderr || e.message || String(error)).trim().split("\n").slice(-3).join(" ")}` };
  }
  return {
    primary,
    standby,
    stopStandby: async () => {
      await stop(standby, "fast");
    },
    startStandby: async () => {
      await start(standby);
    },
    cleanup,
  };
}
