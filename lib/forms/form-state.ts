// What every form's server action answers. A failed form carries the values the user sent, so the
// fields are filled again (nothing typed is lost), and its messages per field path.
export type FormValues = Record<string, string | string[]>;

export type FormState = {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** The submitted fields (never passwords or secrets), to refill the form after a refusal. */
  values?: FormValues;
  /** A generated password or a new API token: shown once, never stored in plain text. */
  secret?: { label: string; value: string };
};

export const EMPTY_FORM: FormState = {};

/** The value to show in a field: what the user last sent, else the stored default. */
export function fieldValue(state: FormState, name: string, fallback?: string | number | null): string {
  const sent = state.values?.[name];
  if (typeof sent === "string") return sent;
  if (Array.isArray(sent)) return sent.join(", ");
  return fallback == null ? "" : String(fallback);
}

/** The values to show in a multi-valued field (checkboxes, multi-select). */
export function fieldValues(state: FormState, name: string, fallback: readonly string[] = []): string[] {
  if (!state.values) return [...fallback];
  const sent = state.values[name];
  return Array.isArray(sent) ? sent : typeof sent === "string" ? [sent] : [];
}
