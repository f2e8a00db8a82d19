// Every API error is application/problem+json (RFC 9457) with type, title, status, detail,
// plus errors[] per field or row. One helper so no route invents its own shape.
import { ZodError } from "zod";
import { anyCause, isDatabaseUnavailable } from "@/db/errors";

export type FieldError = { path: string; message: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[] | unknown[];
  [extra: string]: unknown;
};

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

export function problem(
  status: number,
  detail: string,
  extra: Partial<Problem> = {},
  headers: Record<string, string> = {},
): Response {
  const body: Problem = {
    type: extra.type ?? `https://rollcall.dev/problems/${status}`,
    title: extra.title ?? TITLES[status] ?? "Error",
    status,
    detail,
    ...extra,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}

export function zodErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(body)", message: issue.message }));
}

export function validationProblem(error: ZodError, detail = INVALID_FIELDS): Response {
  return problem(422, detail, { errors: zodErrors(error) });
}

const INVALID_FIELDS = "Some fields are not valid; nothing was saved.";

/** A validation failure as the one error the DAL throws for it: 422 with errors[] per field. */
export function invalidInput(error: ZodError, detail = INVALID_FIELDS): HttpError {
  return new HttpError(422, detail, { errors: zodErrors(error) });
}

/** 422 naming one field (a rule the schema cannot see, e.g. "this slug exists already" with 409). */
export function fieldProblem(status: number, path: string, message: string): HttpError {
  return new HttpError(status, message, { errors: [{ path, message }] });
}

/** errors[] of a problem as messages per field path, for forms. */
export function fieldErrorsOf(errors: unknown): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const e of (Array.isArray(errors) ? errors : []) as Partial<FieldError>[]) {
    if (typeof e?.path === "string" && typeof e.message === "string") (byField[e.path] ??= []).push(e.message);
  }
  return byField;
}

/** The database being down is a 503 with Retry-After, never a 500; anything else unexpected is logged once. */
export function problemFromError(error: unknown): Response {
  if (error instanceof HttpError) return problem(error.status, error.message, error.extra, error.headers);
  if (error instanceof URIError) return problem(400, "The address holds a malformed percent-encoded character.");
  if (error instanceof ZodError) return validationProblem(error);
  if (isDataException(error)) {
    return problem(400, "The request holds a value the database cannot store or compare (for example a NUL character or a number out of range).");
  }
  if (isDatabaseUnavailable(error)) {
    return problem(503, "The database is not reachable right now; nothing was changed. Try again shortly.", {}, { "retry-after": "5" });
  }
  console.error("[api] unexpected error:", error instanceof Error ? error.message : error);
  return problem(500, "Something went wrong on our side; nothing was changed.");
}

/** PostgreSQL's class 22 (data exception: invalid text, NUL byte, out of range), however deep in the causes. */
const isDataException = (error: unknown) => anyCause(error, (e) => typeof e.code === "string" && /^22[0-9A-Z]{3}$/.test(e.code));

/** Thrown from the data-access layer; route handlers turn it into problem+json. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Partial<Problem> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}
