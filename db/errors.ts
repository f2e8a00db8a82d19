// Errors that mean "the database cannot be reached right now" (answered with 503 + Retry-After),
// as opposed to errors in what was asked.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
  "57P01", // admin_shutdown (pg_terminate_backend, server restart)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08006",
  "53300", // too_many_connections
]);

export class DatabaseUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`database unavailable: ${reason}`);
    this.name = "DatabaseUnavailableError";
  }
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly holderRole: string,
  ) {
    super(
      `another Rollcall (${holderRole}, pid ${holderPid}) is running on the embedded database in ${dataDir}; ` +
        `stop it first, or use the web pages (/admin/users, /admin/tokens) while it runs`,
    );
    this.name = "DataDirLockedError";
  }
}

/** Whether `test` holds for the error or one of its causes (drivers' errors arrive wrapped; at most 5 deep). */
export function anyCause(error: unknown, test: (e: { code?: unknown; message?: unknown }) => boolean): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (test(e as { code?: unknown; message?: unknown })) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return anyCause(
    error,
    (e) =>
      e instanceof DatabaseUnavailableError ||
      (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) ||
      (typeof e.message === "string" &&
        /Connection terminated|connection timeout|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(e.message)),
  );
}
