"use client";
// Small form pieces shared by the update, device and rollout forms: a labelled field with its
// error right under it (linked with aria-describedby), and the form-level outcome.
import { useEffect, useRef } from "react";
import type { FormState } from "./form-state";

export const inputClass = "mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900";
export const buttonClass = "rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:opacity-60";
export const secondaryButtonClass = "rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800";

export function errorId(id: string) {
  return `${id}-error`;
}

export function FieldMessage({ id, errors, hint }: { id: string; errors?: string[]; hint?: string }) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId(id)} className="mt-1 text-sm text-red-800 dark:text-red-300">
          {errors.join(" ")}
        </p>
      ) : null}
    </>
  );
}

type FieldProps = {
  id: string;
  name: string;
  label: string;
  errors?: string[];
  hint?: string;
} & Omit<React.InputHTMLAttributes<HTMLInputElement>, "id" | "name">;

export function Field({ id, name, label, errors, hint, ...input }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? errorId(id) : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input id={id} name={name} className={inputClass} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy} {...input} />
      <FieldMessage id={id} errors={errors} hint={hint} />
    </div>
  );
}

export function FormOutcome({ state }: { state: FormState }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.error) ref.current?.focus();
  }, [state]);
  if (!state.message && !state.error) return null;
  return (
    <div ref={ref} tabIndex={-1} role={state.error ? "alert" : "status"}>
      {state.error ? <p className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">{state.error}</p> : null}
      {state.message ? <p className="text-sm text-emerald-800 dark:text-emerald-200">{state.message}</p> : null}
    </div>
  );
}
