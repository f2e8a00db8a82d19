// Runs once when the server starts: open the database (and take the embedded data directory's
// lock) before the first request, and close it cleanly on SIGTERM/SIGINT.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerLifecycle } = await import("./lib/server/lifecycle");
  await startServerLifecycle();
}
