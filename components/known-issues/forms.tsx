"use client";
// Editor and helpdesk forms of the known-issue pages, on the shared kit. Each posts to a server
// action (which checks the session and permission again); a refused form keeps what was typed and
// shows each message once, next to its field.
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { CheckboxField, FieldMessages, SelectField, TextAreaField, TextField, type SelectOption } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

const APPS_HINT = 'One per line: "App name | version range". Ranges: * (any), 1.2, 1.x, >=1.0 <1.3. Apps must be in the inventory.';
const MARKDOWN_HINT = "Markdown: **bold**, *italic*, lists, `code`, [links](https://…). No HTML.";

/**
 * The banner of a refusal says that nothing was saved; the reason stands next to its field. When the
 * action's message is one a field of this form already shows, the banner does not repeat it.
 */
function banner(state: FormState): FormState {
  const nextToFields = Object.values(state.fieldErrors ?? {}).flatMap((messages) => messages ?? []);
  if (!state.error || !nextToFields.includes(state.error)) return state;
  return { ...state, error: "Nothing was saved: correct the marked field." };
}

/** Messages for a path no field of the form is named after (e.g. the fix-link list behind a status change). */
function PathMessages({ state, path, id }: { state: FormState; path: string; id: string }) {
  return <FieldMessages id={id} messages={state.fieldErrors?.[path] ?? []} />;
}

export function CreateIssueForm({
  action,
  updates,
  severities,
  statuses,
}: {
  action: Action;
  updates: SelectOption[];
  severities: SelectOption[];
  statuses: SelectOption[];
}) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormFeedback state={banner(state)} />
      <TextField state={state} id="ki-title" name="title" label="Title" required maxLength={300} />
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField state={state} id="ki-update" name="update" label="Update" options={updates} />
        <SelectField state={state} id="ki-status" name="status" label="Status" options={statuses} defaultValue="reported" />
        <SelectField state={state} id="ki-severity" name="severity" label="Severity" options={severities} defaultValue="medium" />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField state={state} id="ki-origin-kb" name="originKb" label="Originating KB" placeholder="KB835935" />
        <TextField state={state} id="ki-platforms" name="affectedPlatforms" label="Affected platforms" hint="Comma-separated, e.g. Windows XP SP2" />
      </div>
      <TextAreaField state={state} id="ki-apps" name="affectedApps" label="Affected apps" hint={APPS_HINT} rows={3} />
      <TextAreaField state={state} id="ki-symptoms" name="symptoms" label="Symptoms" hint={MARKDOWN_HINT} rows={5} />
      <TextAreaField state={state} id="ki-workaround" name="workaround" label="Workaround" hint={MARKDOWN_HINT} />
      <CheckboxField state={state} id="ki-hold" name="safeguardHold" label="Apply a safeguard hold (devices with an affected app are held back)" />
      <CheckboxField state={state} id="ki-blocking" name="blocking" label="Blocking: while confirmed, the waves it names may not start (none named: every wave of the update)" />
      <TextAreaField state={state} id="ki-note" name="note" label="Note for the history" rows={2} />
      <SubmitButton pendingLabel="Creating…">Create known issue</SubmitButton>
    </form>
  );
}

export function StatusForm({ action, next }: { action: Action; next: SelectOption[] }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  if (next.length === 0) return null;
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="status-form-heading" noValidate>
      <h3 id="status-form-heading" className="text-sm font-semibold">
        Change status
      </h3>
      <SelectField state={state} id="st-status" name="status" label="New status" options={next} />
      <TextAreaField state={state} id="st-note" name="note" label="Note (required to resolve or reopen)" rows={2} />
      <PathMessages state={state} path="fixLinks" id="st-fix" />
      <SubmitButton>Change status</SubmitButton>
      <FormFeedback state={banner(state)} />
    </form>
  );
}

export function HoldForm({ action, on, heldDevices }: { action: Action; on: boolean; heldDevices: number }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-2" aria-labelledby="hold-form-heading" noValidate>
      <h3 id="hold-form-heading" className="text-sm font-semibold">
        Safeguard hold
      </h3>
      <p className="text-sm">{on ? `On: ${heldDevices} device${heldDevices === 1 ? " is" : "s are"} held back.` : "Off: devices with an affected app may install."}</p>
      <input type="hidden" name="safeguardHold" value={on ? "off" : "on"} />
      <TextField state={state} id="hold-note" name="note" label="Why (kept in the history)" />
      <PathMessages state={state} path="safeguardHold" id="hold" />
      <SubmitButton variant={on ? "secondary" : "primary"}>{on ? "Lift the hold" : "Apply a hold"}</SubmitButton>
      <FormFeedback state={banner(state)} />
    </form>
  );
}

export type EditableIssue = {
  title: string;
  severity: string;
  symptoms: string;
  workaround: string;
  resolution: string;
  originKb: string;
  resolvingKb: string;
  affectedPlatforms: string;
  affectedApps: string;
  blocking: boolean;
};

const BLOCKING_OPTIONS: SelectOption[] = [
  { value: "off", label: "No: waves may start" },
  { value: "on", label: "Yes: while confirmed, its waves may not start" },
];

const LONG_TEXTS = [
  { name: "symptoms", label: "Symptoms" },
  { name: "workaround", label: "Workaround" },
  { name: "resolution", label: "Resolution" },
] as const;

export function EditIssueForm({ action, issue, severities }: { action: Action; issue: EditableIssue; severities: SelectOption[] }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <TextField state={state} id="ed-title" name="title" label="Title" defaultValue={issue.title} maxLength={300} />
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField state={state} id="ed-severity" name="severity" label="Severity" options={severities} defaultValue={issue.severity} />
        <TextField state={state} id="ed-origin-kb" name="originKb" label="Originating KB" defaultValue={issue.originKb} />
        <TextField state={state} id="ed-resolving-kb" name="resolvingKb" label="Resolving KB" defaultValue={issue.resolvingKb} />
      </div>
      <TextField state={state} id="ed-platforms" name="affectedPlatforms" label="Affected platforms" hint="Comma-separated" defaultValue={issue.affectedPlatforms} />
      <SelectField
        state={state}
        id="ed-blocking"
        name="blocking"
        label="Blocking"
        hint="Which waves it blocks is set per wave (the planner, or PUT …/waves/{waveId}/blocking-issues); with none named it blocks every wave of the update."
        options={BLOCKING_OPTIONS}
        defaultValue={issue.blocking ? "on" : "off"}
      />
      <TextAreaField state={state} id="ed-apps" name="affectedApps" label="Affected apps" hint={APPS_HINT} rows={3} defaultValue={issue.affectedApps} />
      {LONG_TEXTS.map(({ name, label }) => (
        <TextAreaField key={name} state={state} id={`ed-${name}`} name={name} label={label} hint={MARKDOWN_HINT} defaultValue={issue[name]} />
      ))}
      <TextAreaField state={state} id="ed-note" name="note" label="Note for the history" rows={2} />
      <SubmitButton>Save changes</SubmitButton>
      <FormFeedback state={banner(state)} />
    </form>
  );
}

export function AddFixLinkForm({ action, types }: { action: Action; types: SelectOption[] }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="fix-form-heading" noValidate>
      <h3 id="fix-form-heading" className="text-sm font-semibold">
        Add a vendor fix
      </h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField state={state} id="fx-vendor" name="vendor" label="Vendor" />
        <TextField state={state} id="fx-title" name="title" label="Title" />
        <TextField state={state} id="fx-url" name="url" label="URL (http or https)" type="url" inputMode="url" />
        <SelectField state={state} id="fx-type" name="type" label="Type" options={types} />
        <TextField state={state} id="fx-published" name="publishedAt" label="Published" type="date" />
        <TextField state={state} id="fx-note" name="note" label="Note for the history" />
      </div>
      <PathMessages state={state} path="fixLinks" id="fx-list" />
      <SubmitButton pendingLabel="Adding…">Add fix link</SubmitButton>
      <FormFeedback state={banner(state)} />
    </form>
  );
}

export function RemoveFixLinkButton({ action, title }: { action: Action; title: string }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="inline">
      <SubmitButton variant="secondary" pendingLabel="Removing…" aria-label={`Remove fix link ${title}`}>
        Remove
      </SubmitButton>
      {state.error ? (
        <span role="alert" className="ml-2 text-sm text-red-800 dark:text-red-300">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

/** Helpdesk links a ticket and the caller's machine; opened from a device page, the hostname is filled in. */
export function ReportForm({ action, defaultHostname = "" }: { action: Action; defaultHostname?: string }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="report-form-heading" noValidate>
      <h3 id="report-form-heading" className="text-sm font-semibold">
        Link a helpdesk ticket
      </h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField state={state} id="rp-ticket" name="ticketRef" label="Ticket reference" autoFocus={defaultHostname !== ""} />
        <TextField state={state} id="rp-host" name="hostname" label="Caller's machine (hostname)" defaultValue={defaultHostname} />
      </div>
      <TextAreaField state={state} id="rp-note" name="note" label="Note about the call" rows={2} />
      <SubmitButton pendingLabel="Filing…">File report</SubmitButton>
      <FormFeedback state={banner(state)} />
    </form>
  );
}
