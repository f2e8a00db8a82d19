// Inventory CSV → rows for the device upsert. Header names are matched loosely (`osVersion`,
// `os_version` and `OS Version` are the same column). `tags` and `apps` are `;`-separated, apps as
// `name@version`. Missing required columns reject the whole file; everything else is per row.
import { parse } from "csv-parse/sync";
import { HttpError, type FieldError } from "@/lib/http/problem";

export type RawDeviceRow = { value: unknown; line?: number; errors?: FieldError[] };

const COLUMNS = {
  hostname: "hostname",
  os: "os",
  osname: "os",
  osversion: "osVersion",
  site: "site",
  department: "department",
  channel: "channel",
  tags: "tags",
  apps: "apps",
} as const;
type Field = (typeof COLUMNS)[keyof typeof COLUMNS];
const REQUIRED: Field[] = ["hostname", "os", "site"];

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

export function splitList(cell: string): string[] {
  return cell
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export function parseApp(text: string): { name: string; version: string } {
  const at = text.lastIndexOf("@");
  return at <= 0 ? { name: text.trim(), version: "" } : { name: text.slice(0, at).trim(), version: text.slice(at + 1).trim() };
}

export function parseDeviceCsv(text: string): RawDeviceRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: false, info: true }) as never;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, `The CSV cannot be read: ${message}`);
  }
  if (records.length === 0) throw new HttpError(422, "The CSV is empty: expected a header row (hostname,os,osVersion,site,department,channel,tags,apps) and devices.");
  const header = records[0].record.map((name) => COLUMNS[normalise(name) as keyof typeof COLUMNS] ?? null);
  const missing = REQUIRED.filter((field) => !header.includes(field));
  if (missing.length) {
    throw new HttpError(422, `The CSV is missing required columns: ${missing.join(", ")}.`, {
      errors: missing.map((field) => ({ path: `columns.${field}`, message: `Add a "${field}" column.` })),
    });
  }
  const present = new Set(header.filter((f): f is Field => f !== null));
  return records.slice(1).map(({ record, info }) => {
    const errors: FieldError[] = [];
    if (record.length !== header.length) errors.push({ path: "(row)", message: `Expected ${header.length} columns, found ${record.length}.` });
    const cell = (field: Field) => {
      const i = header.indexOf(field);
      return i >= 0 && i < record.length ? record[i].trim() : "";
    };
    const value: Record<string, unknown> = { hostname: cell("hostname"), os: cell("os"), site: cell("site") };
    if (present.has("osVersion")) value.osVersion = cell("osVersion");
    if (present.has("department")) value.department = cell("department") || null;
    if (present.has("channel") && cell("channel")) value.channel = cell("channel");
    if (present.has("tags")) value.tags = splitList(cell("tags"));
    if (present.has("apps")) value.apps = splitList(cell("apps")).map(parseApp);
    return { value, line: info.lines, errors: errors.length ? errors : undefined };
  });
}
