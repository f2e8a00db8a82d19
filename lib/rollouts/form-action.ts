import "server-only";
// Server actions of the update, device and rollout pages: run the DAL call and turn refusals into
// a state the form shows next to its fields (HttpError errors[] and zod issues), never a stack trace.
import { ZodError } from "zod";
import type { FormState } from "@/components/rollouts/form-state";
import { HttpError } from "@/lib/http/problem";

export function formStateFromError(error: unknown): FormState {
  // Next.js redirects and notFound are thrown; let them through.
  if (error && typeof error === "object" && "digest" in error) throw error;
  const fieldErrors: Record<string, string[]> = {};
  if (error instanceof ZodError) {
    for (const issue of error.issues) (fieldErrors[issue.path.join(".") || "form"] ??= []).push(issue.message);
    return { error: "Some fields need attention; nothing was saved.", fieldErrors };
  }
  if (error instanceof HttpError) {
    for (const e of (Array.isArray(error.extra.errors) ? error.extra.errors : []) as { path?: string; message?: string }[]) {
      if (e.path && e.message) (fieldErrors[e.path] ??= []).push(e.message);
    }
    return { error: error.message, fieldErrors };
  }
  console.error("[form] action failed:", error instanceof Error ? error.message : error);
  return { error: "Something went wrong; nothing was saved." };
}

export async function runFormAction(work: () => Promise<FormState>): Promise<FormState> {
  try {
    return await work();
  } catch (error) {
    return formStateFromError(error);
  }
}
