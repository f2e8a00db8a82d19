// Labelled form fields with their hint and error right under them (linked by aria-describedby).
// Given the form's state, a field refills itself with what the user sent and shows its own
// messages, so a refused form keeps everything typed.
import { fieldValue, type FormState } from "@/lib/forms/form-state";

export const inputClass = "mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900";

type Common = {
  /** The field's name in the form (and in the action's fieldErrors). */
  name: string;
  label: React.ReactNode;
  /** Unique on the page; defaults to `f-<name>`. */
  id?: string;
  hint?: React.ReactNode;
  state?: FormState;
  /** Messages when no state is given, or in addition to it. */
  errors?: string[];
  className?: string;
};

function useField({ name, id, hint, state, errors }: Common) {
  const fieldId = id ?? `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  const messages = [...(state?.fieldErrors?.[name] ?? []), ...(errors ?? [])];
  const describedBy = [hint ? `${fieldId}-hint` : null, messages.length ? `${fieldId}-error` : null].filter(Boolean).join(" ") || undefined;
  return { fieldId, messages, describedBy, invalid: messages.length ? true : undefined };
}

export function FieldMessages({ id, hint, messages }: { id: string; hint?: React.ReactNode; messages: string[] }) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      ) : null}
      {messages.length ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-800 dark:text-red-300">
          {[...new Set(messages)].join(" ")}
        </p>
      ) : null}
    </>
  );
}

function Label({ htmlFor, children }: { htmlFor: string; children: React.ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="block text-sm font-medium">
      {children}
    </label>
  );
}

type InputProps = Common &
  Omit<React.InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "className" | "defaultValue"> & {
    defaultValue?: string | number | null;
    ref?: React.Ref<HTMLInputElement>;
  };

export function TextField({ className, defaultValue, ...props }: InputProps) {
  const { name, label, hint, state, errors, id, ...input } = props;
  const f = useField({ name, label, hint, state, errors, id });
  const secret = input.type === "password";
  return (
    <div className={className}>
      <Label htmlFor={f.fieldId}>{label}</Label>
      <input
        id={f.fieldId}
        name={name}
        className={inputClass}
        aria-invalid={f.invalid}
        aria-describedby={f.describedBy}
        defaultValue={secret || !state ? (defaultValue ?? undefined) : fieldValue(state, name, defaultValue)}
        {...input}
      />
      <FieldMessages id={f.fieldId} hint={hint} messages={f.messages} />
    </div>
  );
}

type TextAreaProps = Common & Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "name" | "className" | "defaultValue"> & { defaultValue?: string | null };

export function TextAreaField({ className, defaultValue, ...props }: TextAreaProps) {
  const { name, label, hint, state, errors, id, ...textarea } = props;
  const f = useField({ name, label, hint, state, errors, id });
  return (
    <div className={className}>
      <Label htmlFor={f.fieldId}>{label}</Label>
      <textarea
        id={f.fieldId}
        name={name}
        rows={4}
        className={inputClass}
        aria-invalid={f.invalid}
        aria-describedby={f.describedBy}
        defaultValue={state ? fieldValue(state, name, defaultValue) : (defaultValue ?? undefined)}
        {...textarea}
      />
      <FieldMessages id={f.fieldId} hint={hint} messages={f.messages} />
    </div>
  );
}

export type SelectOption = { value: string; label: string } | string;

type SelectProps = Common &
  Omit<React.SelectHTMLAttributes<HTMLSelectElement>, "id" | "name" | "className" | "defaultValue"> & {
    options: readonly SelectOption[];
    defaultValue?: string | null;
    /** A first option with an empty value (e.g. "— none —"). */
    placeholder?: string;
  };

export function SelectField({ className, defaultValue, options, placeholder, ...props }: SelectProps) {
  const { name, label, hint, state, errors, id, ...select } = props;
  const f = useField({ name, label, hint, state, errors, id });
  return (
    <div className={className}>
      <Label htmlFor={f.fieldId}>{label}</Label>
      <select
        // React sets a select's default only when it mounts: a new key remounts it with the value the
        // user sent, so a refused form shows their choice, not the first option.
        key={state?.values ? `sent:${fieldValue(state, name, defaultValue)}` : "stored"}
        id={f.fieldId}
        name={name}
        className={inputClass}
        aria-invalid={f.invalid}
        aria-describedby={f.describedBy}
        defaultValue={state ? fieldValue(state, name, defaultValue) : (defaultValue ?? undefined)}
        {...select}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => {
          const { value, label: text } = typeof option === "string" ? { value: option, label: option } : option;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </select>
      <FieldMessages id={f.fieldId} hint={hint} messages={f.messages} />
    </div>
  );
}

type CheckboxProps = Common & Omit<React.InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "className" | "type" | "defaultChecked"> & { defaultChecked?: boolean };

/** A single checkbox; after a refused submit it is ticked as the user left it. */
export function CheckboxField({ className, defaultChecked, value = "on", ...props }: CheckboxProps) {
  const { name, label, hint, state, errors, id, ...input } = props;
  const f = useField({ name, label, hint, state, errors, id });
  const sent = state?.values ? [state.values[name]].flat().includes(String(value)) : defaultChecked;
  return (
    <div className={className}>
      <div className="flex items-center gap-2">
        <input id={f.fieldId} type="checkbox" name={name} value={value} defaultChecked={sent} aria-invalid={f.invalid} aria-describedby={f.describedBy} {...input} />
        <Label htmlFor={f.fieldId}>{label}</Label>
      </div>
      <FieldMessages id={f.fieldId} hint={hint} messages={f.messages} />
    </div>
  );
}
