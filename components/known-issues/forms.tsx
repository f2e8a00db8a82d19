"use client";
// Editor and helpdesk forms of the known-issue pages. Each posts to a server action (which checks
// the session and permission again) and shows its answer: a message or the field errors.
import { useActionState } from "react";
import { ActionFeedback } from "@/components/admin/action-feedback";
import { EMPTY_STATE, type AdminActionState } from "@/components/admin/action-state";
import { buttonClass, inputClass, secondaryButtonClass } from "@/components/admin/form-styles";

type Action = (state: AdminActionState, form: FormData) => Promise<AdminActionState>;
type Option = { value: string; label: string };

/** Errors for a field and its parts ("affectedApps" shows "affectedApps.0.name" too). */
function FieldErrors({ state, name, id }: { state: AdminActionState; name: string; id: string }) {
  const messages = Object.entries(state.fieldErrors ?? {})
    .filter(([path]) => path === name || path.startsWith(`${name}.`))
    .flatMap(([, list]) => list ?? []);
  if (messages.length === 0) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-800 dark:text-red-300">
      {messages.join(" ")}
    </p>
  );
}

function Field({
  id,
  label,
  name,
  state,
  hint,
  children,
}: {
  id: string;
  label: string;
  name: string;
  state: AdminActionState;
  hint?: string;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      ) : null}
      {children}
      <FieldErrors state={state} name={name} id={`${id}-error`} />
    </div>
  );
}

const APPS_HINT = 'One per line: "App name | version range". Ranges: * (any), 1.2, 1.x, >=1.0 <1.3. Apps must be in the inventory.';
const MARKDOWN_HINT = "Markdown: **bold**, *italic*, lists, `code`, [links](https://…). No HTML.";

export function CreateIssueForm({ action, updates, severities, statuses }: { action: Action; updates: Option[]; severities: Option[]; statuses: Option[] }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field id="ki-title" label="Title" name="title" state={state}>
        <input id="ki-title" name="title" required maxLength={300} className={inputClass} aria-describedby="ki-title-error" />
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="ki-update" label="Update" name="update" state={state}>
          <select id="ki-update" name="update" className={inputClass} aria-describedby="ki-update-error">
            {updates.map((u) => (
              <option key={u.value} value={u.value}>
                {u.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="ki-status" label="Status" name="status" state={state}>
          <select id="ki-status" name="status" defaultValue="reported" className={inputClass}>
            {statuses.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="ki-severity" label="Severity" name="severity" state={state}>
          <select id="ki-severity" name="severity" defaultValue="medium" className={inputClass}>
            {severities.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="ki-origin-kb" label="Originating KB" name="originKb" state={state}>
          <input id="ki-origin-kb" name="originKb" placeholder="KB835935" className={inputClass} aria-describedby="ki-origin-kb-error" />
        </Field>
        <Field id="ki-platforms" label="Affected platforms" name="affectedPlatforms" state={state} hint="Comma-separated, e.g. Windows XP SP2">
          <input id="ki-platforms" name="affectedPlatforms" className={inputClass} aria-describedby="ki-platforms-hint ki-platforms-error" />
        </Field>
      </div>
      <Field id="ki-apps" label="Affected apps" name="affectedApps" state={state} hint={APPS_HINT}>
        <textarea id="ki-apps" name="affectedApps" rows={3} className={inputClass} aria-describedby="ki-apps-hint ki-apps-error" />
      </Field>
      <Field id="ki-symptoms" label="Symptoms" name="symptoms" state={state} hint={MARKDOWN_HINT}>
        <textarea id="ki-symptoms" name="symptoms" rows={5} className={inputClass} aria-describedby="ki-symptoms-hint ki-symptoms-error" />
      </Field>
      <Field id="ki-workaround" label="Workaround" name="workaround" state={state} hint={MARKDOWN_HINT}>
        <textarea id="ki-workaround" name="workaround" rows={4} className={inputClass} aria-describedby="ki-workaround-hint ki-workaround-error" />
      </Field>
      <div className="flex items-center gap-2">
        <input id="ki-hold" name="safeguardHold" type="checkbox" aria-describedby="ki-hold-error" />
        <label htmlFor="ki-hold" className="text-sm">
          Apply a safeguard hold (devices with an affected app are held back)
        </label>
      </div>
      <FieldErrors state={state} name="safeguardHold" id="ki-hold-error" />
      <Field id="ki-note" label="Note for the history" name="note" state={state}>
        <textarea id="ki-note" name="note" rows={2} className={inputClass} aria-describedby="ki-note-error" />
      </Field>
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Creating…" : "Create known issue"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}

export function StatusForm({ action, advisoryId, next }: { action: Action; advisoryId: string; next: Option[] }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  if (next.length === 0) return null;
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="status-form-heading">
      <h3 id="status-form-heading" className="text-sm font-semibold">
        Change status
      </h3>
      <input type="hidden" name="advisoryId" value={advisoryId} />
      <Field id="st-status" label="New status" name="status" state={state}>
        <select id="st-status" name="status" className={inputClass} aria-describedby="st-status-error">
          {next.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </Field>
      <Field id="st-note" label="Note (required to resolve or reopen)" name="note" state={state}>
        <textarea id="st-note" name="note" rows={2} className={inputClass} aria-describedby="st-note-error" />
      </Field>
      <FieldErrors state={state} name="fixLinks" id="st-fix-error" />
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Saving…" : "Change status"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}

export function HoldForm({ action, advisoryId, on, heldDevices }: { action: Action; advisoryId: string; on: boolean; heldDevices: number }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  return (
    <form action={formAction} className="space-y-2" aria-labelledby="hold-form-heading">
      <h3 id="hold-form-heading" className="text-sm font-semibold">
        Safeguard hold
      </h3>
      <p className="text-sm">{on ? `On: ${heldDevices} device${heldDevices === 1 ? " is" : "s are"} held back.` : "Off: devices with an affected app may install."}</p>
      <input type="hidden" name="advisoryId" value={advisoryId} />
      <input type="hidden" name="hold" value={on ? "off" : "on"} />
      <Field id="hold-note" label="Why (kept in the history)" name="note" state={state}>
        <input id="hold-note" name="note" className={inputClass} />
      </Field>
      <FieldErrors state={state} name="safeguardHold" id="hold-error" />
      <button type="submit" className={on ? secondaryButtonClass : buttonClass} disabled={pending}>
        {pending ? "Saving…" : on ? "Lift the hold" : "Apply a hold"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}

export type EditableIssue = {
  advisoryId: string;
  title: string;
  severity: string;
  symptoms: string;
  workaround: string;
  resolution: string;
  originKb: string;
  resolvingKb: string;
  affectedPlatforms: string;
  affectedApps: string;
};

export function EditIssueForm({ action, issue, severities }: { action: Action; issue: EditableIssue; severities: Option[] }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="advisoryId" value={issue.advisoryId} />
      <Field id="ed-title" label="Title" name="title" state={state}>
        <input id="ed-title" name="title" defaultValue={issue.title} maxLength={300} className={inputClass} aria-describedby="ed-title-error" />
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="ed-severity" label="Severity" name="severity" state={state}>
          <select id="ed-severity" name="severity" defaultValue={issue.severity} className={inputClass}>
            {severities.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="ed-origin-kb" label="Originating KB" name="originKb" state={state}>
          <input id="ed-origin-kb" name="originKb" defaultValue={issue.originKb} className={inputClass} aria-describedby="ed-origin-kb-error" />
        </Field>
        <Field id="ed-resolving-kb" label="Resolving KB" name="resolvingKb" state={state}>
          <input id="ed-resolving-kb" name="resolvingKb" defaultValue={issue.resolvingKb} className={inputClass} aria-describedby="ed-resolving-kb-error" />
        </Field>
      </div>
      <Field id="ed-platforms" label="Affected platforms" name="affectedPlatforms" state={state} hint="Comma-separated">
        <input id="ed-platforms" name="affectedPlatforms" defaultValue={issue.affectedPlatforms} className={inputClass} aria-describedby="ed-platforms-hint" />
      </Field>
      <Field id="ed-apps" label="Affected apps" name="affectedApps" state={state} hint={APPS_HINT}>
        <textarea id="ed-apps" name="affectedApps" rows={3} defaultValue={issue.affectedApps} className={inputClass} aria-describedby="ed-apps-hint ed-apps-error" />
      </Field>
      {(["symptoms", "workaround", "resolution"] as const).map((field) => (
        <Field key={field} id={`ed-${field}`} label={field[0].toUpperCase() + field.slice(1)} name={field} state={state} hint={MARKDOWN_HINT}>
          <textarea id={`ed-${field}`} name={field} rows={4} defaultValue={issue[field]} className={inputClass} aria-describedby={`ed-${field}-hint ed-${field}-error`} />
        </Field>
      ))}
      <Field id="ed-note" label="Note for the history" name="note" state={state}>
        <textarea id="ed-note" name="note" rows={2} className={inputClass} />
      </Field>
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Saving…" : "Save changes"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}

export function AddFixLinkForm({ action, advisoryId, types }: { action: Action; advisoryId: string; types: Option[] }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="fix-form-heading" noValidate>
      <h3 id="fix-form-heading" className="text-sm font-semibold">
        Add a vendor fix
      </h3>
      <input type="hidden" name="advisoryId" value={advisoryId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="fx-vendor" label="Vendor" name="vendor" state={state}>
          <input id="fx-vendor" name="vendor" className={inputClass} aria-describedby="fx-vendor-error" />
        </Field>
        <Field id="fx-title" label="Title" name="title" state={state}>
          <input id="fx-title" name="title" className={inputClass} aria-describedby="fx-title-error" />
        </Field>
        <Field id="fx-url" label="URL (http or https)" name="url" state={state}>
          <input id="fx-url" name="url" type="url" inputMode="url" className={inputClass} aria-describedby="fx-url-error" />
        </Field>
        <Field id="fx-type" label="Type" name="type" state={state}>
          <select id="fx-type" name="type" className={inputClass}>
            {types.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="fx-published" label="Published" name="publishedAt" state={state}>
          <input id="fx-published" name="publishedAt" type="date" className={inputClass} aria-describedby="fx-published-error" />
        </Field>
        <Field id="fx-note" label="Note for the history" name="note" state={state}>
          <input id="fx-note" name="note" className={inputClass} />
        </Field>
      </div>
      <FieldErrors state={state} name="fixLinks" id="fx-error" />
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Adding…" : "Add fix link"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}

export function RemoveFixLinkButton({ action, advisoryId, linkId, title }: { action: Action; advisoryId: string; linkId: number; title: string }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  return (
    <form action={formAction} className="inline">
      <input type="hidden" name="advisoryId" value={advisoryId} />
      <input type="hidden" name="linkId" value={linkId} />
      <button type="submit" className={secondaryButtonClass} disabled={pending} aria-label={`Remove fix link ${title}`}>
        Remove
      </button>
      {state.error ? (
        <span role="alert" className="ml-2 text-sm text-red-800 dark:text-red-300">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

export function ReportForm({ action, advisoryId, defaultHostname = "" }: { action: Action; advisoryId: string; defaultHostname?: string }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_STATE);
  return (
    <form action={formAction} className="space-y-3" aria-labelledby="report-form-heading" noValidate>
      <h3 id="report-form-heading" className="text-sm font-semibold">
        Link a helpdesk ticket
      </h3>
      <input type="hidden" name="advisoryId" value={advisoryId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="rp-ticket" label="Ticket reference" name="ticketRef" state={state}>
          <input id="rp-ticket" name="ticketRef" className={inputClass} aria-describedby="rp-ticket-error" />
        </Field>
        <Field id="rp-host" label="Caller's machine (hostname)" name="hostname" state={state}>
          <input id="rp-host" name="hostname" defaultValue={defaultHostname} className={inputClass} aria-describedby="rp-host-error" />
        </Field>
      </div>
      <Field id="rp-note" label="Note about the call" name="note" state={state}>
        <textarea id="rp-note" name="note" rows={2} className={inputClass} aria-describedby="rp-note-error" />
      </Field>
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Filing…" : "File report"}
      </button>
      <ActionFeedback state={state} />
    </form>
  );
}
