// The rows a bulk upload refused (device import, offline-media steps), each with its reasons: the
// first hundred, numbered as the user counts them (line of the file, or row of the pasted list).
import { NONE, formatNumber } from "@/lib/format";
import { Table, Td, Th } from "./table";

export type RejectedRow = { index: number; line?: number; hostname?: string | null; errors: { path?: string; message: string }[] };

const SHOWN = 100;

export function RejectedRowsTable({
  rows,
  title,
  numberLabel,
  reasonLabel,
  withPaths = false,
}: {
  rows: RejectedRow[];
  /** e.g. "Rejected rows". */
  title: string;
  /** "Line" (of a file) or "Row" (of a list). */
  numberLabel: string;
  reasonLabel: string;
  /** Name the field each reason is about (CSV columns). */
  withPaths?: boolean;
}) {
  if (rows.length === 0) return null;
  return (
    <Table caption={`${title}${rows.length > SHOWN ? ` (first ${formatNumber(SHOWN)})` : ""}`} showCaption>
      <thead>
        <tr>
          <Th numeric>{numberLabel}</Th>
          <Th>Hostname</Th>
          <Th>{reasonLabel}</Th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, SHOWN).map((r) => (
          <tr key={r.index}>
            <Td numeric>{r.line ?? r.index + 1}</Td>
            <Td>{r.hostname || NONE}</Td>
            <Td>{r.errors.map((e) => (withPaths && e.path ? `${e.path}: ${e.message}` : e.message)).join(" · ")}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
