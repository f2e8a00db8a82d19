"use server";
// Server action of /events/import: the uploaded CSV goes through the ingest batch path (which
// authorises and checks every row), then the pages are revalidated.
import { revalidatePath } from "next/cache";
import { requireActionActor } from "@/lib/auth/session";
import { forgetPageData } from "@/lib/cache/page-data";
import { ingestUploadedCsv } from "@/lib/deployments/import-upload";
import type { CsvImportResult } from "@/lib/deployments/ingest-csv";
import { formAction } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { formatNumber } from "@/lib/format";
import type { Actor } from "@/lib/auth/actor";
import { noteWrite } from "@/lib/server/replica-reads";

/** The form's state plus the import's counts and its first rejected rows. */
export type ImportState = FormState & { result?: CsvImportResult };

export async function importStatusEventsAction(_: ImportState, form: FormData): Promise<ImportState> {
  let result: CsvImportResult | undefined;
  let importer: Actor | undefined;
  const state = await formAction(form, async () => {
    const file = form.get("file");
    importer = await requireActionActor("events.ingest");
    result = await ingestUploadedCsv(importer, file);
    return { ok: true, message: `${file instanceof File ? file.name : "The file"}: ${formatNumber(result.rows)} rows read.` };
  });
  // Even a refused file may have saved earlier batches: pages read afresh (lib/cache/page-data.ts), the
  // importer's from the primary until the read replica holds them (lib/server/replica-reads.ts).
  if (importer) await noteWrite(importer).catch(() => undefined);
  forgetPageData();
  if (!state.ok) return state;
  revalidatePath("/", "layout");
  return { ...state, result };
}
