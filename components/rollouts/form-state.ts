/** What a form's server action answers: a message, or an error with messages per field path. */
export type FormState = {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
};

export const EMPTY_FORM: FormState = {};
