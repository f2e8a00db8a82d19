"use client";

import { useEffect, useRef } from "react";
import type { AdminActionState } from "./action-state";

/** The outcome of an admin action, announced to screen readers; a secret is shown once here. */
export function ActionFeedback({ state }: { state: AdminActionState }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.secret || state.error) ref.current?.focus();
  }, [state]);
  if (!state.message && !state.error && !state.secret) return null;
  return (
    <div ref={ref} tabIndex={-1} className="space-y-2" role={state.error ? "alert" : "status"}>
      {state.error ? <p className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">{state.error}</p> : null}
      {state.message ? <p className="text-sm text-emerald-800 dark:text-emerald-200">{state.message}</p> : null}
      {state.secret ? (
        <div className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
          <p className="font-medium">{state.secret.label} — copy it now, it is not shown again:</p>
          <p className="mt-1">
            <code data-testid="one-time-secret" className="select-all break-all rounded bg-white px-2 py-1 font-mono dark:bg-slate-900">
              {state.secret.value}
            </code>
          </p>
        </div>
      ) : null}
    </div>
  );
}

export function FieldError({ state, name, id }: { state: AdminActionState; name: string; id: string }) {
  const errors = state.fieldErrors?.[name];
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-800 dark:text-red-300">
      {errors.join(" ")}
    </p>
  );
}
