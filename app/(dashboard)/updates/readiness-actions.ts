"use server";
// The update page's readiness cell form: the fields go to the DAL's mutation (which authorises,
// validates, writes and audits), then the update page is revalidated (issue #17).
import { revalidatePath } from "next/cache";
import { requireActionActor } from "@/lib/auth/session";
import { formAction } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { setReadinessCell } from "@/lib/readiness/cells";
import { describeRange, READINESS_LABELS } from "@/lib/readiness/model";

export async function setReadinessCellAction(slug: string, _: FormState, form: FormData): Promise<FormState> {
  const state = await formAction(form, async (input) => {
    const cell = await setReadinessCell(await requireActionActor("update.write"), { ...input, update: slug });
    const saved = `Saved: ${cell.app} ${describeRange(cell.versionRange)} on ${cell.build}: ${READINESS_LABELS[cell.status]}.`;
    return { ok: true, message: [saved, ...cell.warnings.map((w) => w.replace(/^Saved\. /, ""))].join(" ") };
  });
  if (state.ok) revalidatePath(`/updates/${slug}`);
  return state;
}
