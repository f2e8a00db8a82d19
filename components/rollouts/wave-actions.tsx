"use client";
// Start / pause / resume / halt / complete for one wave, with the written reason that overrides,
// halts and resumes need (the server decides; its message appears next to the reason field, and
// the reason typed stays there after a refusal). Only the wave whose turn it is gets a primary
// "Start wave"; a later wave says what it waits for, and one whose predecessor has not passed its
// gate offers "Start wave anyway" (with a reason). Halting and completing ask first.
import { useActionState } from "react";
import { SubmitButton, type ButtonVariant } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { TextAreaField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";
import type { StartState } from "@/lib/rollouts/now";

type WaveButton = { action: string; label: string; variant: ButtonVariant; confirm?: string };

const START: WaveButton = { action: "start", label: "Start wave", variant: "primary" };
const START_ANYWAY: WaveButton = { action: "start", label: "Start wave anyway", variant: "secondary" };
const PAUSE: WaveButton = { action: "pause", label: "Pause", variant: "secondary" };
const RESUME: WaveButton = { action: "resume", label: "Resume", variant: "primary" };
const HALT: WaveButton = { action: "halt", label: "Halt", variant: "danger", confirm: "Halt this wave? Its machines stop being offered the update until it is resumed." };
const COMPLETE: WaveButton = { action: "complete", label: "Mark completed", variant: "secondary", confirm: "Mark this wave completed? A completed wave cannot be resumed." };

const ACTIONS_BY_STATUS: Record<string, WaveButton[]> = {
  active: [PAUSE, HALT, COMPLETE],
  paused: [RESUME, HALT, COMPLETE],
  halted: [RESUME, COMPLETE],
  completed: [],
};

function buttonsFor(status: string, start: StartState): WaveButton[] {
  if (status !== "planned") return ACTIONS_BY_STATUS[status] ?? [];
  if (start.kind === "may") return [START];
  if (start.kind === "override") return [START_ANYWAY];
  return [];
}

export function WaveActions({
  waveId,
  waveName,
  status,
  start = { kind: "may" },
  action,
}: {
  waveId: number;
  waveName: string;
  status: string;
  /** For a planned wave: whether it may start now (lib/rollouts/now.ts). */
  start?: StartState;
  action: (s: FormState, f: FormData) => Promise<FormState>;
}) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  const buttons = buttonsFor(status, start);
  if (buttons.length === 0) return null;
  // A refusal about the reason is shown once, next to the field.
  const feedback = state.error && state.fieldErrors?.reason ? { ...state, error: undefined } : state;
  return (
    <form action={formAction} className="mt-3 space-y-2" aria-label={`Actions for ${waveName}`}>
      <FormFeedback state={feedback} />
      <TextAreaField
        state={state}
        id={`reason-${waveId}`}
        name="reason"
        rows={2}
        label={
          <>
            Reason <span className="font-normal text-slate-600 dark:text-slate-300">(needed to halt, to resume a halted wave, or to start before the previous gate passed)</span>
          </>
        }
      />
      <div className="flex flex-wrap gap-2">
        {buttons.map((b) => (
          <SubmitButton key={b.action} name="action" value={b.action} variant={b.variant} confirm={b.confirm} pendingLabel={b.label}>
            {b.label}
          </SubmitButton>
        ))}
      </div>
    </form>
  );
}
