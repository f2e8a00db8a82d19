"use client";
// Start / pause / resume / halt / complete for one wave, with the written reason that overrides,
// halts and resumes need (the server decides; its message appears next to the reason field).
import { useActionState } from "react";
import { buttonClass, FieldMessage, FormOutcome, inputClass, secondaryButtonClass } from "./form-bits";
import { EMPTY_FORM, type FormState } from "./form-state";

const ACTIONS_BY_STATUS: Record<string, { action: string; label: string }[]> = {
  planned: [{ action: "start", label: "Start wave" }],
  active: [
    { action: "pause", label: "Pause" },
    { action: "halt", label: "Halt" },
    { action: "complete", label: "Mark completed" },
  ],
  paused: [
    { action: "resume", label: "Resume" },
    { action: "halt", label: "Halt" },
    { action: "complete", label: "Mark completed" },
  ],
  halted: [
    { action: "resume", label: "Resume" },
    { action: "complete", label: "Mark completed" },
  ],
  completed: [],
};

export function WaveActions({ waveId, waveName, status, action }: { waveId: number; waveName: string; status: string; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_FORM);
  const actions = ACTIONS_BY_STATUS[status] ?? [];
  if (actions.length === 0) return null;
  const reasonId = `reason-${waveId}`;
  return (
    <form action={formAction} className="mt-3 space-y-2" aria-label={`Actions for ${waveName}`}>
      <FormOutcome state={state.error && state.fieldErrors?.reason ? { ...state, error: undefined } : state} />
      <div>
        <label htmlFor={reasonId} className="block text-sm font-medium">
          Reason <span className="font-normal text-slate-600 dark:text-slate-300">(needed to halt, to resume a halted wave, or to start before the previous gate passed)</span>
        </label>
        <textarea id={reasonId} name="reason" rows={2} className={inputClass} aria-describedby={state.fieldErrors?.reason ? `${reasonId}-error` : undefined} />
        <FieldMessage id={reasonId} errors={state.fieldErrors?.reason} />
      </div>
      <div className="flex flex-wrap gap-2">
        {actions.map((a, i) => (
          <button key={a.action} type="submit" name="action" value={a.action} disabled={pending} className={i === 0 ? buttonClass : secondaryButtonClass}>
            {a.label}
          </button>
        ))}
      </div>
    </form>
  );
}
