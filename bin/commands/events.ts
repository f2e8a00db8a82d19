// `rollcall events import FILE.csv`: status events from a CSV file (offline media, technicians),
// through the same ingest path as POST /api/v1/status-events, with a progress line.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { CSV_TEMPLATE_HEADER, importStatusEventsCsv } from "@/lib/deployments/ingest-csv";
import { HttpError } from "@/lib/http/problem";
import { CliError, UsageError, type CliCommand } from "../cli-context";

const USAGE = `Usage:
  rollcall events import FILE.csv     import status events from a CSV file

The header names the columns (any order; unknown columns are ignored):
  ${CSV_TEMPLATE_HEADER}
device is the hostname, update the update's slug, occurredAt an ISO 8601 time with a zone
(2004-08-25T09:30:00Z). Rows without an eventId get one from their content, so importing the
same file again stores nothing twice. Rejected rows are listed with their line number; the
exit code is 1 when any row was rejected.`;

const SHOWN = 20;
const fmt = (n: number) => n.toLocaleString("en");

export const eventsCommand: CliCommand = {
  name: "events",
  summary: "import status events from a CSV file",
  usage: USAGE,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub !== "import") throw new UsageError(sub ? `unknown events command "${sub}"` : "events needs a command");
    const { positionals } = parseArgs({ args: rest, options: {}, strict: true, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError("events import takes exactly one FILE.csv");
    const file = positionals[0];
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new CliError(`Cannot read ${file}: no such file.`);
    const handle = await ctx.openDb();
    const started = Date.now();
    try {
      const result = await importStatusEventsCsv({ kind: "system", label: "cli" }, createReadStream(file), {
        db: handle.db,
        onProgress: (p) => {
          const rate = p.rows / Math.max((Date.now() - started) / 1000, 0.001);
          ctx.progress(
            `importing ${file}: ${fmt(p.rows)} rows — ${fmt(p.accepted)} accepted, ${fmt(p.duplicates)} duplicates, ${fmt(p.stale)} stale, ${fmt(p.rejected)} rejected (${fmt(Math.round(rate))} rows/s)`,
          );
        },
      });
      ctx.progress("");
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      ctx.out(
        `Imported ${fmt(result.rows)} rows from ${file} in ${secs} s: ${fmt(result.accepted)} accepted, ${fmt(result.duplicates)} duplicates, ${fmt(result.stale)} stale (kept in history), ${fmt(result.rejected)} rejected.`,
      );
      for (const row of result.rejectedRows.slice(0, SHOWN)) {
        ctx.err(`  line ${row.line}: ${row.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
      }
      if (result.rejected > SHOWN) ctx.err(`  … and ${fmt(result.rejected - SHOWN)} more rejected rows`);
      return result.rejected > 0 ? 1 : 0;
    } catch (error) {
      if (error instanceof HttpError) throw new CliError(error.message);
      throw error;
    }
  },
};
