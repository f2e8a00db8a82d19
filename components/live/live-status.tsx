"use client";

/** "Updated 10:42:05" with a polite live region; says plainly when the last refresh failed. */
export function LiveStatus({ updatedAt, error }: { updatedAt: string; error: boolean }) {
  const time = new Date(updatedAt).toLocaleTimeString("en-GB");
  return (
    <p className="text-xs text-slate-600 dark:text-slate-300" aria-live="polite">
      {error ? `Could not refresh; showing data from ${time}. Retrying…` : `Live: updated ${time}, refreshes every 15 s`}
    </p>
  );
}
