"use server";
// Server action of /events/import: validate, authorise, import through the ingest path, revalidate.
import { revalidatePath } from "next/cache";
import { isDatabaseUnavailable } from "@/db/errors";
import { requireActionActor } from "@/lib/auth/session";
import { importStatusEventsCsv } from "@/lib/deployments/ingest-csv";
import { MAX_BATCH_BYTES } from "@/lib/deployments/ingest-model";
import { HttpError } from "@/lib/http/problem";
import type { ImportState } from "./import-state";

const SHOWN_REJECTIONS = 50;

export async function importStatusEventsAction(_: ImportState, form: FormData): Promise<ImportState> {
  try {
    const actor = await requireActionActor("events.ingest");
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return { error: "Choose a CSV file to import." };
    if (file.size > MAX_BATCH_BYTES) return { error: `The file is larger than ${MAX_BATCH_BYTES / (1024 * 1024)} MB; split it, or use \`npx rollcall events import\`.` };
    const result = await importStatusEventsCsv(actor, await file.text());
    revalidatePath("/", "layout");
    return {
      ok: true,
      fileName: file.name,
      result: { ...result, rejectedRows: result.rejectedRows.slice(0, SHOWN_REJECTIONS) },
    };
  } catch (error) {
    if (error instanceof HttpError) return { error: error.message };
    if (isDatabaseUnavailable(error)) return { error: "The database is not reachable right now. Import the file again shortly: rows already stored are not stored twice." };
    console.error("[events] CSV import failed:", error instanceof Error ? error.message : error);
    return { error: "Something went wrong. Import the file again: rows already stored are not stored twice." };
  }
}
