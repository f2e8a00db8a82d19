// The production server as operators run it (`scripts/start.ts` from an existing build), one
// process group per instance so a kill -9 takes the whole server down like a crash would.
// Every instance started here is killed when the runner exits, whatever happened.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const live = new Set<Instance>();
const authSecret = randomBytes(32).toString("base64url");

process.on("exit", () => {
  for (const instance of live) instance.killGroup("SIGKILL");
});

export type InstanceOptions = {
  name: string;
  port: number;
  distDir: string;
  logDir: string;
  /** ROLLCALL_DATA_DIR (the embedded database when there is no url, the secret otherwise), DATABASE_URL. */
  database: { dataDir: string; url?: string };
  /** WEB_CONCURRENCY: server processes sharing the port (PostgreSQL only). */
  processes?: number;
  /** More environment for the server, applied last (e.g. NEXTAUTH_URL, TRUST_PROXY). */
  env?: Record<string, string>;
};

export type Exit = { code: number | null; signal: NodeJS.Signals | null; ms: number };

export class Instance {
  readonly base: string;
  private child: ChildProcess | null = null;
  private exited: Promise<Exit> | null = null;
  private starts = 0;
  /** Milliseconds from the last spawn to milestones in the server's output. */
  private milestones: Record<string, number> = {};

  constructor(readonly options: InstanceOptions) {
    this.base = `http://127.0.0.1:${options.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Spawns the server; resolves at once (see waitHealthy). */
  start(): void {
    if (this.child) throw new Error(`${this.options.name} is already running`);
    const { name, port, distDir, logDir, database } = this.options;
    const logFile = path.join(logDir, `${name}-${++this.starts}.log`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      NEXT_DIST_DIR: distDir,
      NEXTAUTH_URL: this.base,
      DATABASE_URL: database.url ?? "",
      ROLLCALL_DATA_DIR: database.dataDir,
      // One secret for every instance, as instances behind one load balancer share it.
      AUTH_SECRET: authSecret,
      WEB_CONCURRENCY: String(this.options.processes ?? 1),
      ...this.options.env,
    };
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
      cwd: root,
      env,
      detached: true, // its own process group: kill -9 reaches next start too
      stdio: ["ignore", "pipe", "pipe"],
    });
    const startedAt = Date.now();
    this.milestones = {};
    // Each line of the server's output with the milliseconds since the spawn, to see where a slow start goes.
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop()!;
        for (const line of lines) {
          if (line.includes("Rollcall is starting")) this.milestones["migrated"] ??= Date.now() - startedAt;
          if (line.includes("Ready in")) this.milestones["next ready"] ??= Date.now() - startedAt;
          if (line.includes("database ready")) this.milestones["database open"] ??= Date.now() - startedAt;
        }
        fs.appendFileSync(logFile, lines.map((l) => `+${Date.now() - startedAt} ms ${l}\n`).join(""));
      });
    }
    this.child = child;
    live.add(this);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        // `npm start` forwards signals to `next start`; anything left in the group goes too.
        this.killGroup("SIGKILL", child.pid);
        this.child = null;
        live.delete(this);
        resolve({ code, signal, ms: Date.now() - startedAt });
      });
    });
  }

  /** Where the last start spent its time, e.g. "migrated +1200 ms, next ready +1500 ms, database open +2400 ms". */
  startTimeline(): string {
    return Object.entries(this.milestones).map(([k, ms]) => `${k} +${ms} ms`).join(", ");
  }

  /** Milliseconds until /api/health answers 200, or null after `timeoutMs`. */
  async waitHealthy(timeoutMs: number, since = Date.now()): Promise<number | null> {
    const until = since + timeoutMs;
    while (Date.now() < until) {
      if (!this.child) return null; // it exited (see its log)
      if (await this.healthy()) return Date.now() - since;
      await sleep(50);
    }
    return null;
  }

  async healthy(): Promise<boolean> {
    const probe = fetchWithin(`${this.base}/api/health`, {}, 1_000).then(
      (res) => res.status === 200,
      () => false,
    );
    // A hard bound too: a probe must never hold the suite.
    return (await withTimeout(probe, 2_000)) ?? false;
  }

  /** SIGTERM to the server (which lets batches in flight commit) and wait for it to exit. */
  async terminate(timeoutMs = 30_000): Promise<Exit & { ms: number }> {
    if (!this.child) throw new Error(`${this.options.name} is not running`);
    const t0 = Date.now();
    this.child.kill("SIGTERM");
    const exit = await withTimeout(this.exited!, timeoutMs);
    if (!exit) {
      this.killGroup("SIGKILL");
      const forced = await this.exited!;
      return { ...forced, ms: Date.now() - t0, code: forced.code ?? -1 };
    }
    return { ...exit, ms: Date.now() - t0 };
  }

  /**
   * kill -9 of the process that serves and holds the database (`next start`, the child of
   * `npm start`), like a crash or the OOM killer; `npm start` then exits as it does when its server
   * dies. Resolves once no process of the group is left, with how long that took.
   */
  async crash(timeoutMs = 15_000): Promise<number> {
    if (!this.child) throw new Error(`${this.options.name} is not running`);
    const pid = this.child.pid!;
    const t0 = Date.now();
    const servers = childrenOf(pid);
    if (servers.length === 0) throw new Error(`${this.options.name}: no server process under npm start (pid ${pid})`);
    for (const server of servers) process.kill(server, "SIGKILL");
    await withTimeout(this.exited!, timeoutMs);
    this.killGroup("SIGKILL", pid);
    while (groupAlive(pid) && Date.now() - t0 < timeoutMs) await sleep(20);
    return Date.now() - t0;
  }

  killGroup(signal: NodeJS.Signals, pid = this.child?.pid): void {
    if (!pid) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  /** The last lines of this instance's log, for a failure report. */
  logTail(lines = 20): string {
    const file = path.join(this.options.logDir, `${this.options.name}-${this.starts}.log`);
    if (!fs.existsSync(file)) return "";
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    [...live].map(async (instance) => {
      const exit = await instance.terminate(15_000).catch(() => null);
      if (!exit) instance.killGroup("SIGKILL");
    }),
  );
}

/** Direct children of `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * fetch with a timeout covering the body too. The timer is ours (not AbortSignal.timeout, whose
 * signal a fetch in flight does not keep alive), so it fires however long the request hangs.
 */
export async function fetchWithin(url: string, init: RequestInit, ms: number): Promise<Response & { text: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError")), ms);
  try {
    const res = await fetch(url, { ...init, signal: controller.signal });
    const text = await res.text();
    return Object.assign(res, { text });
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
