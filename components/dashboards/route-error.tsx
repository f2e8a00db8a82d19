"use client";
// What error.tsx shows: a plain sentence, the error's reference (the digest that matches the server
// log line) and a retry that re-fetches the segment. Never the message or stack of a server error.
import { useEffect, useRef } from "react";

export type RouteErrorProps = { error: unknown; retry?: () => void; reset?: () => void };

export function RouteError({ error, retry, reset, what }: RouteErrorProps & { what: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  const again = retry ?? reset;
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold">
        Could not load {what}
      </h2>
      <p className="mt-2">Something went wrong on our side, or the database did not answer in time. Nothing was changed.</p>
      {digest ? <p className="mt-1 text-sm">Reference for the administrator: <code>{digest}</code></p> : null}
      {again ? (
        <button type="button" onClick={() => again()} className="mt-3 rounded bg-red-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-900 dark:bg-red-200 dark:text-red-950 dark:hover:bg-red-100">
          Try again
        </button>
      ) : null}
    </div>
  );
}
