// The choice a subscription makes (event types × updates, the weekly digest), shared by a user's own
// form and an admin's list-address form. After a refused submit every box is as the user left it.
import { CheckboxField, FieldMessages } from "@/components/ui/form-field";
import type { FormState } from "@/lib/forms/form-state";
import { EVENT_TYPES } from "@/lib/outbox/event-types";

type Props = {
  /** Prefix of the element ids (two forms on one page). */
  idPrefix: string;
  state: FormState;
  saved: { events: string[]; updates: string[]; weeklyDigest: boolean };
  updates: Array<{ slug: string; title: string }>;
};

export function SubscriptionFields({ idPrefix, state, saved, updates }: Props) {
  const eventErrors = state.fieldErrors?.events ?? Object.entries(state.fieldErrors ?? {}).flatMap(([k, v]) => (k.startsWith("events.") ? (v ?? []) : []));
  const updateErrors = state.fieldErrors?.updates ?? [];
  const ticked: FormState = { values: state.values };
  const allUpdates = saved.updates.length === 0;
  return (
    <>
      <fieldset aria-describedby={eventErrors.length ? `${idPrefix}-events-error` : undefined}>
        <legend className="text-sm font-medium">Events to email</legend>
        <div className="mt-1 grid gap-1 sm:grid-cols-2">
          <CheckboxField state={ticked} id={`${idPrefix}-event-all`} name="events" value="*" label="Every event, including types added later" defaultChecked={saved.events.includes("*")} />
          {EVENT_TYPES.map((type) => (
            <CheckboxField
              key={type}
              state={ticked}
              id={`${idPrefix}-event-${type.replace(/[._]/g, "-")}`}
              name="events"
              value={type}
              label={<span className="font-mono text-xs">{type}</span>}
              defaultChecked={saved.events.includes(type)}
            />
          ))}
        </div>
        <FieldMessages id={`${idPrefix}-events`} messages={eventErrors} />
      </fieldset>
      <fieldset aria-describedby={updateErrors.length ? `${idPrefix}-updates-error` : `${idPrefix}-updates-hint`}>
        <legend className="text-sm font-medium">About these updates</legend>
        <p id={`${idPrefix}-updates-hint`} className="text-xs text-slate-600 dark:text-slate-300">
          None ticked, or &ldquo;every update&rdquo;: events about any update.
        </p>
        <div className="mt-1 grid max-h-64 gap-1 overflow-auto rounded border border-slate-200 p-2 sm:grid-cols-2 dark:border-slate-700">
          <CheckboxField state={ticked} id={`${idPrefix}-update-all`} name="updates" value="*" label="Every update" defaultChecked={allUpdates} />
          {updates.map((u) => (
            <CheckboxField key={u.slug} state={ticked} id={`${idPrefix}-update-${u.slug}`} name="updates" value={u.slug} label={u.title} defaultChecked={saved.updates.includes(u.slug)} />
          ))}
        </div>
        <FieldMessages id={`${idPrefix}-updates`} messages={updateErrors} />
      </fieldset>
      <CheckboxField
        state={ticked}
        id={`${idPrefix}-digest`}
        name="weeklyDigest"
        label="Weekly adoption digest"
        hint="Once a week: each update being rolled out, installed of in scope, failures and installs that week."
        defaultChecked={saved.weeklyDigest}
      />
    </>
  );
}
