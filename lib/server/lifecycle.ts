// Process lifecycle of the web server: eager database open and graceful shutdown. Next.js is told
// (NEXT_MANUAL_SIG_HANDLE) to leave signals to us so in-flight work finishes before the database closes.
import { closeDb, getDbHandle } from "@/db/client";

const shutdownHooks: Array<() => Promise<void>> = [];

/** Work that must finish before the database closes (e.g. an ingest batch in flight). */
export function onShutdown(hook: () => Promise<void>): void {
  shutdownHooks.push(hook);
}

export async function startServerLifecycle(): Promise<void> {
  try {
    const handle = await getDbHandle();
    console.log(`[rollcall] database ready (${handle.kind})`);
  } catch (error) {
    // Keep serving: /api/health answers 503 and the next request retries the connection.
    console.error(`[rollcall] database not ready: ${error instanceof Error ? error.message : String(error)}`);
    if ((error as Error)?.name === "DataDirLockedError") process.exit(1);
  }
  // Waves set to start by themselves after their soak are checked every minute.
  const { ensureWaveScheduler } = await import("@/lib/rollouts/lifecycle");
  ensureWaveScheduler();
  // Outbox events are delivered to webhooks from every server process (they share the work through row locks).
  const { ensureDispatcher } = await import("@/lib/outbox/dispatcher");
  const dispatcher = ensureDispatcher();
  onShutdown(() => dispatcher.stop());
  // A wave whose deadline forecast turns at risk or late is announced once (wave.deadline_at_risk).
  const { ensureDeadlineWatch } = await import("@/lib/rollouts/deadline-watch");
  ensureDeadlineWatch();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[rollcall] ${signal}: finishing work in flight, then closing the database`);
    let phase = "finishing work in flight";
    const timer = setTimeout(() => {
      console.error(`[rollcall] ${signal}: still ${phase} after 15 s; exiting anyway`);
      process.exit(1);
    }, 15_000);
    timer.unref();
    await Promise.allSettled(shutdownHooks.map((hook) => hook()));
    phase = "closing the database";
    await closeDb().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
