// What an admin server action answers; the forms render it (a message, field errors, and a
// secret shown exactly once).
export type AdminActionState = {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** A generated password or a new API token: shown once, never stored in plain text. */
  secret?: { label: string; value: string };
};

export const EMPTY_STATE: AdminActionState = {};
