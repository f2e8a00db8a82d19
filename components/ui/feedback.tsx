"use client";
// The outcome of a form or an action, announced to screen readers and focused when it is an error;
// a one-time secret (new password, API token) is shown here once.
import { useEffect, useRef } from "react";
import type { FormState } from "@/lib/forms/form-state";

const TONES = {
  error: "rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
  success: "rounded border border-emerald-300 bg-emerald-50 p-2 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  warning: "rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50",
  info: "rounded border border-blue-300 bg-blue-50 p-2 text-sm text-blue-950 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-50",
} as const;

export type BannerTone = keyof typeof TONES;

export function Banner({ tone, children, className = "" }: { tone: BannerTone; children: React.ReactNode; className?: string }) {
  return <div className={`${TONES[tone]} ${className}`}>{children}</div>;
}

export function FormFeedback({ state }: { state: FormState }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.error || state.secret) ref.current?.focus();
  }, [state]);
  if (!state.message && !state.error && !state.secret) return null;
  return (
    <div ref={ref} tabIndex={-1} className="space-y-2" role={state.error ? "alert" : "status"}>
      {state.error ? <Banner tone="error">{state.error}</Banner> : null}
      {state.message ? <Banner tone="success">{state.message}</Banner> : null}
      {state.secret ? (
        <Banner tone="warning" className="p-3">
          <p className="font-medium">{state.secret.label} — copy it now, it is not shown again:</p>
          <p className="mt-1">
            <code data-testid="one-time-secret" className="select-all break-all rounded bg-white px-2 py-1 font-mono dark:bg-slate-900">
              {state.secret.value}
            </code>
          </p>
        </Banner>
      ) : null}
    </div>
  );
}
