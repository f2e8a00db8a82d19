// What the CSV import action answers; the form renders it.
import type { CsvImportResult } from "@/lib/deployments/ingest-csv";

export type ImportState = {
  ok?: boolean;
  error?: string;
  fileName?: string;
  result?: CsvImportResult;
};
