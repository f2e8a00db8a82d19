import "server-only";
// CSV import of status events (offline media and technicians): the file is parsed as a stream and
// fed to the same ingest path as the HTTP API, in batches. Rows without an eventId get one derived
// from their content, so importing the same file twice stores nothing the second time.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import type { FieldError } from "@/lib/http/problem";
import { HttpError } from "@/lib/http/problem";
import { ingestStatusEvents } from "./ingest";

/** Column names as written in a file (case, spaces, `_` and `-` ignored) → event field. */
const COLUMN_ALIASES: Record<string, string> = {
  device: "device",
  hostname: "device",
  update: "update",
  slug: "update",
  updateslug: "update",
  state: "state",
  status: "state",
  occurredat: "occurredAt",
  timestamp: "occurredAt",
  time: "occurredAt",
  errorcode: "errorCode",
  error: "errorCode",
  alert: "alert",
  message: "message",
  build: "build",
  eventid: "eventId",
};
const REQUIRED = ["device", "update", "state", "occurredAt"];

export const CSV_TEMPLATE_HEADER = "device,update,state,occurredAt,build,errorCode,alert,message,eventId";

export type CsvImportProgress = { rows: number; accepted: number; duplicates: number; stale: number; rejected: number };
export type CsvRejectedRow = { line: number; errors: FieldError[] };
export type CsvImportResult = CsvImportProgress & {
  /** The first rejected rows with their line in the file (the header is line 1). */
  rejectedRows: CsvRejectedRow[];
};

export type CsvImportOptions = {
  db?: Db;
  /** Event ids of CSV files share one namespace, whoever imports them. */
  source?: string;
  batchSize?: number;
  maxRejectedRows?: number;
  onProgress?: (progress: CsvImportProgress) => void;
};

function headerColumns(header: string[]): string[] {
  const columns = header.map((name) => COLUMN_ALIASES[name.toLowerCase().replace(/[\s_-]/g, "")] ?? `(ignored) ${name}`);
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length) {
    throw new HttpError(400, `The CSV header lacks the column(s) ${missing.join(", ")}. Expected: ${CSV_TEMPLATE_HEADER}.`);
  }
  return columns;
}

function contentEventId(row: Record<string, string | undefined>): string {
  const fields = [row.device?.toLowerCase(), row.update, row.state, row.occurredAt, row.errorCode, row.alert, row.message];
  // Only a row that names a build hashes it, so files written before builds keep their ids.
  if (row.build !== undefined) fields.push(row.build.toLowerCase());
  const content = fields.join("\u001f");
  return `csv-${createHash("sha256").update(content).digest("hex").slice(0, 32)}`;
}

type CsvInput = string | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

/** The rows of a status-event CSV as event objects (empty cells absent), with their line numbers. */
export async function* readEventsCsv(input: CsvInput): AsyncGenerator<{ row: Record<string, string | undefined>; line: number }> {
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true, columns: headerColumns });
  const source = typeof input === "string" ? Readable.from([input]) : Readable.from(input as AsyncIterable<Uint8Array>);
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const row: Record<string, string | undefined> = {};
      for (const [column, value] of Object.entries(record)) {
        if (!column.startsWith("(ignored)") && value !== "") row[column] = value;
      }
      yield { row, line: info.lines };
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const code = (error as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("CSV_")) throw new HttpError(400, `The file is not valid CSV: ${(error as Error).message}`);
    throw error;
  } finally {
    source.unpipe(parser);
    parser.destroy();
  }
}

/**
 * Imports a CSV file (text or a byte stream) through the ingest DAL, batch by batch. A file that
 * breaks off half-way keeps the batches already committed; importing it again is harmless.
 */
export async function importStatusEventsCsv(actor: Actor, input: CsvInput, options: CsvImportOptions = {}): Promise<CsvImportResult> {
  assertCan(actor, "events.ingest");
  const batchSize = options.batchSize ?? 5_000;
  const maxRejected = options.maxRejectedRows ?? 1_000;
  const totals: CsvImportResult = { rows: 0, accepted: 0, duplicates: 0, stale: 0, rejected: 0, rejectedRows: [] };
  let batch: Record<string, string | undefined>[] = [];
  let lines: number[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const answer = await ingestStatusEvents(actor, batch, { db: options.db, source: options.source ?? "csv" });
    totals.rows += batch.length;
    totals.accepted += answer.accepted;
    totals.duplicates += answer.duplicates;
    totals.stale += answer.stale;
    totals.rejected += answer.rejected.length;
    for (const rejected of answer.rejected) {
      if (totals.rejectedRows.length >= maxRejected) break;
      totals.rejectedRows.push({ line: lines[rejected.index], errors: rejected.errors });
    }
    options.onProgress?.({ rows: totals.rows, accepted: totals.accepted, duplicates: totals.duplicates, stale: totals.stale, rejected: totals.rejected });
    batch = [];
    lines = [];
  };
  for await (const { row, line } of readEventsCsv(input)) {
    row.eventId ??= contentEventId(row);
    batch.push(row);
    lines.push(line);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return totals;
}
