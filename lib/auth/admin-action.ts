import "server-only";
// Shared shape of the admin server actions: authorise, then run the DAL call, turning refusals
// into a state the form shows (never a stack trace).
import type { AdminActionState } from "@/components/admin/action-state";
import { HttpError } from "@/lib/http/problem";

export async function runAdminAction(work: () => Promise<AdminActionState>): Promise<AdminActionState> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) {
      const fieldErrors: Record<string, string[]> = {};
      for (const e of (Array.isArray(error.extra.errors) ? error.extra.errors : []) as { path?: string; message?: string }[]) {
        if (e.path && e.message) (fieldErrors[e.path] ??= []).push(e.message);
      }
      return { error: error.message, fieldErrors };
    }
    console.error("[admin] action failed:", error instanceof Error ? error.message : error);
    return { error: "Something went wrong; nothing was changed." };
  }
}
