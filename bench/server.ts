// The production server under test: built once into its own dist dir, started on 127.0.0.1 with the
// database it is given, and signed into through next-auth's scripted flow.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";

export type BenchServer = { base: string; process: ChildProcess; stop: () => Promise<void> };

export function buildServer(root: string, distDir: string): void {
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, NEXT_DIST_DIR: distDir },
  });
  if (build.status !== 0) throw new Error("next build failed");
}

/** Starts `scripts/start.ts` (migrations, no demo seed on a non-empty database) and waits for /api/health. */
export async function startServer(options: { root: string; distDir: string; port: number; env: Record<string, string | undefined> }): Promise<BenchServer> {
  const base = `http://127.0.0.1:${options.port}`;
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(options.port), NEXT_DIST_DIR: options.distDir, NEXTAUTH_URL: base, ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    cwd: options.root,
    stdio: ["ignore", "ignore", "inherit"],
    env: env as NodeJS.ProcessEnv,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHealth(base, 180_000, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, process: child, stop };
}

export async function waitForHealth(base: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child && child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was healthy`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not become healthy in time");
}

/** Signs in through next-auth's scripted flow and returns the session cookie header. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie(), origin: base },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed (${res.status})`);
  return cookie();
}
