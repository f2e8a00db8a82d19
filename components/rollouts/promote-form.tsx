"use client";
// Promote the rollout to a newer build: every wave that is not completed moves to it (issue #17).
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { SelectField, TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Build = { name: string; version: string };

export function PromoteForm({ builds, action }: { builds: Build[]; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  // Rendered after a promotion too (no newer build left), so its confirmation stays on the page.
  if (!builds.length) {
    return (
      <div className="space-y-2 text-sm">
        <p>The rollout targets the newest build of its update; add a newer build on the update page to promote to it.</p>
        <FormFeedback state={state} />
      </div>
    );
  }
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2" aria-label="Promote to a newer build" noValidate>
      <SelectField
        state={state}
        id="promote-build"
        name="build"
        label="Newer build"
        options={builds.map((b) => ({ value: b.name, label: `${b.name} (${b.version})` }))}
        defaultValue={builds.at(-1)?.name ?? null}
        className="w-full sm:w-56"
      />
      <TextField state={state} id="promote-note" name="note" label="Note (why, for the audit log)" className="w-full sm:w-80" />
      <SubmitButton variant="secondary" pendingLabel="Promoting…">
        Promote
      </SubmitButton>
      <div className="basis-full">
        <FormFeedback state={state} />
      </div>
    </form>
  );
}
