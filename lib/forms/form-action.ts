import "server-only";
// The one wrapper every server action goes through: FormData in, the DAL call (a kernel mutation:
// it authorises, validates and writes), FormState out. A refusal answers the messages per field
// and the values the user sent, so the form keeps what was typed; never a stack trace.
import { fieldErrorsOf, HttpError } from "@/lib/http/problem";
import type { FormState, FormValues } from "./form-state";

/** Fields whose values never travel back to the browser. */
const SECRET_FIELD = /password|secret|token/i;

/** The form's fields as an object: a repeated name becomes a list; files and Next.js's own fields are left out. */
export function formInput(form: FormData): FormValues {
  const input: FormValues = {};
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string" || name.startsWith("$ACTION")) continue;
    const current = input[name];
    if (current === undefined) input[name] = value;
    else input[name] = Array.isArray(current) ? [...current, value] : [current, value];
  }
  return input;
}

function echoedValues(input: FormValues): FormValues {
  return Object.fromEntries(Object.entries(input).filter(([name]) => !SECRET_FIELD.test(name)));
}

/** Next.js's redirect() and notFound() are thrown errors with a digest: they must pass through. */
function isNavigation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "digest" in error;
}

export function formStateFromError(error: unknown, values: FormValues = {}): FormState {
  if (isNavigation(error)) throw error;
  if (error instanceof HttpError) {
    return { error: error.message, fieldErrors: fieldErrorsOf(error.extra.errors), values: echoedValues(values) };
  }
  console.error("[form] action failed:", error instanceof Error ? error.message : error);
  return { error: "Something went wrong; nothing was saved.", values: echoedValues(values) };
}

/**
 * Runs `work` with the form's fields. What it returns is the answer (add `ok: true` and a message);
 * what it throws becomes field errors plus the sent values. Field errors whose path the form shows
 * under another name are moved with `renameFields` (e.g. sizeBytes → sizeMb).
 */
export async function formAction(
  form: FormData,
  work: (input: FormValues) => Promise<FormState>,
  options: { renameFields?: Record<string, string> } = {},
): Promise<FormState> {
  const input = formInput(form);
  try {
    return await work(input);
  } catch (error) {
    const state = formStateFromError(error, input);
    for (const [from, to] of Object.entries(options.renameFields ?? {})) {
      const moved = state.fieldErrors?.[from];
      if (moved && state.fieldErrors) {
        state.fieldErrors[to] = [...(state.fieldErrors[to] ?? []), ...moved];
        delete state.fieldErrors[from];
      }
    }
    return state;
  }
}
