import "server-only";
// A status-event CSV uploaded from the browser: the file's checks, then the batch path (the same
// ingest as the API, lib/deployments/ingest-csv.ts). Refusals are HttpErrors the form shows next to
// the file; a failure part-way says that importing again is safe (stored rows are not stored twice).
import { isDatabaseUnavailable } from "@/db/errors";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { fieldProblem, HttpError } from "@/lib/http/problem";
import { importStatusEventsCsv, type CsvImportResult } from "./ingest-csv";
import { MAX_BATCH_BYTES } from "./ingest-model";

/** Rejected rows the page lists; the counts cover them all. */
const SHOWN_REJECTIONS = 50;

export async function ingestUploadedCsv(actor: Actor | null, file: FormDataEntryValue | null): Promise<CsvImportResult> {
  const caller = assertCan(actor, "events.ingest");
  if (!(file instanceof File) || file.size === 0) throw fieldProblem(422, "file", "Choose a CSV file to import.");
  if (file.size > MAX_BATCH_BYTES) {
    throw fieldProblem(413, "file", `The file is larger than ${MAX_BATCH_BYTES / (1024 * 1024)} MB; split it, or use \`npx rollcall events import\`.`);
  }
  try {
    const result = await importStatusEventsCsv(caller, await file.text());
    return { ...result, rejectedRows: result.rejectedRows.slice(0, SHOWN_REJECTIONS) };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (isDatabaseUnavailable(error)) {
      throw new HttpError(503, "The database is not reachable right now. Import the file again shortly: rows already stored are not stored twice.");
    }
    console.error("[events] CSV import failed:", error instanceof Error ? error.message : error);
    throw new HttpError(500, "Something went wrong. Import the file again: rows already stored are not stored twice.");
  }
}
