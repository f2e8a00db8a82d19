// The one table: header row set apart, numbers right-aligned in tabular figures, an empty state
// inside the table, and horizontal scroll inside its own box on narrow screens (the page never
// scrolls sideways).
const TABLE =
  "w-full border-collapse text-left text-sm [&_td]:border-b [&_td]:border-slate-200 [&_td]:px-2 [&_td]:py-1.5 [&_th]:border-b [&_th]:border-slate-300 [&_th]:px-2 [&_th]:py-1.5 [&_th]:font-semibold dark:[&_td]:border-slate-800 dark:[&_th]:border-slate-700 [&_tbody_th]:font-normal";

type TableProps = React.TableHTMLAttributes<HTMLTableElement> & {
  /** Read by screen readers; shown when `showCaption`. */
  caption?: React.ReactNode;
  showCaption?: boolean;
  /**
   * Sticky header for a table inside a box that already scrolls both ways (a chart's table view).
   * The table then gets no scroll box of its own: the header would stick to that box, which never
   * scrolls vertically, instead of to the one the reader scrolls.
   */
  stickyHeader?: boolean;
  /** Classes of the scrolling box around the table. */
  boxClassName?: string;
};

export function Table({ caption, showCaption = false, stickyHeader = false, className = "", boxClassName = "", children, ...rest }: TableProps) {
  const sticky = stickyHeader ? "[&_thead_th]:sticky [&_thead_th]:top-0 [&_thead_th]:bg-white dark:[&_thead_th]:bg-slate-900" : "";
  const table = (
    <table className={`${TABLE} ${sticky} ${className}`} {...rest}>
      {caption ? <caption className={showCaption ? "mb-2 text-left text-sm font-medium" : "sr-only"}>{caption}</caption> : null}
      {children}
    </table>
  );
  if (stickyHeader) return table;
  // The box is focusable so keyboard users can scroll it, named after the table for screen readers,
  // and positioned so that visually hidden text inside (absolutely placed) is clipped by it too
  // rather than widening the page.
  return (
    <div
      className={`relative max-w-full overflow-x-auto ${boxClassName}`}
      tabIndex={0}
      role={typeof caption === "string" ? "region" : undefined}
      aria-label={typeof caption === "string" ? caption : undefined}
    >
      {table}
    </div>
  );
}

type CellProps = { numeric?: boolean; className?: string; children?: React.ReactNode };

export function Th({ numeric, className = "", children, ...rest }: CellProps & Omit<React.ThHTMLAttributes<HTMLTableCellElement>, "className" | "children">) {
  return (
    <th scope="col" className={`${numeric ? "text-right" : "text-left"} ${className}`} {...rest}>
      {children}
    </th>
  );
}

export function Td({ numeric, className = "", children, ...rest }: CellProps & Omit<React.TdHTMLAttributes<HTMLTableCellElement>, "className" | "children">) {
  return (
    <td className={`${numeric ? "text-right tabular-nums" : ""} ${className}`} {...rest}>
      {children}
    </td>
  );
}

/** A row that says the table has nothing to show, spanning every column. */
export function EmptyRow({ columns, children }: { columns: number; children: React.ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="py-4 text-center text-slate-600 dark:text-slate-300">
        {children}
      </td>
    </tr>
  );
}
