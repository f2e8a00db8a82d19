"use client";

/**
 * "Live: updated 10:42:05 UTC". Only a failed refresh is announced to screen readers (a polite
 * status); announcing every 15-second tick would talk over whatever the user is reading.
 */
export function LiveStatus({ updatedAt, error }: { updatedAt: string; error: boolean }) {
  // UTC like every other time on the pages, so the server and the browser render the same text. Cut from
  // the ISO form: toLocaleTimeString builds an Intl formatter per call (~0.25 ms, on every server render).
  const time = `${new Date(updatedAt).toISOString().slice(11, 19)} UTC`;
  return (
    <div className="text-xs text-slate-600 dark:text-slate-300">
      <p className={error ? "sr-only" : undefined}>Live: updated {time}, refreshes every 15 s</p>
      <p role="status">{error ? `Could not refresh; showing data from ${time}. Retrying…` : ""}</p>
    </div>
  );
}
