"use client";
// The update page's emergency pause: a paused update says since when, until when and why, with a
// resume button; otherwise a form pauses it (reason, optional end in UTC), asking for confirmation
// first because every wave of the update stops offering it at once.
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Banner, FormFeedback } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/form-field";
import { formatDateTime } from "@/lib/format";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Action = (s: FormState, f: FormData) => Promise<FormState>;

export type PauseView = { pausedAt: Date; reason: string; until: Date | null; by: string | null } | null;

export function PauseControl({ title, pause, pauseAction, resumeAction }: { title: string; pause: PauseView; pauseAction: Action; resumeAction: Action }) {
  const [pauseState, pauseFormAction] = useActionState(pauseAction, EMPTY_FORM);
  const [resumeState, resumeFormAction] = useActionState(resumeAction, EMPTY_FORM);
  if (pause) {
    return (
      <form action={resumeFormAction} className="space-y-3" aria-labelledby="pause-heading" id="pause">
        <h3 id="pause-heading" className="font-medium">
          Paused
        </h3>
        <FormFeedback state={resumeState} />
        <Banner tone="warning">
          <p>
            Paused {formatDateTime(pause.pausedAt)}
            {pause.by ? ` by ${pause.by}` : ""}, {pause.until ? `until ${formatDateTime(pause.until)}` : "until resumed"}: {pause.reason}
          </p>
          <p>No wave offers {title}; eligibility answers update_paused.</p>
        </Banner>
        <SubmitButton variant="secondary" pendingLabel="Resuming…" confirm={`Resume ${title}? Its active waves offer it again at once.`}>
          Resume update
        </SubmitButton>
      </form>
    );
  }
  return (
    <form action={pauseFormAction} className="space-y-3" aria-labelledby="pause-heading" id="pause" noValidate>
      <h3 id="pause-heading" className="font-medium">
        Pause this update
      </h3>
      <FormFeedback state={pauseState.ok ? EMPTY_FORM : pauseState} />
      {resumeState.ok ? <FormFeedback state={resumeState} /> : null}
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField state={pauseState} id="p-reason" name="reason" label="Why" required className="sm:col-span-2" hint="Every wave of the update stops offering it." />
        <TextField state={pauseState} id="p-until" name="until" label="Until (UTC, optional)" type="datetime-local" hint="Empty: until resumed." />
      </div>
      <SubmitButton variant="danger" pendingLabel="Pausing…" confirm={`Pause ${title}? No wave will offer it until it is resumed.`}>
        Pause update
      </SubmitButton>
    </form>
  );
}
