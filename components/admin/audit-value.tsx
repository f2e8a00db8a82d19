/** A before/after value of an audit entry, compact: `key: value` pairs, or JSON for anything nested. */
export function AuditValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-slate-500">—</span>;
  if (typeof value !== "object" || Array.isArray(value)) return <code className="break-all">{JSON.stringify(value)}</code>;
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
      {entries.slice(0, 12).map(([key, v]) => (
        <div key={key} className="contents">
          <dt className="text-slate-600 dark:text-slate-300">{key}</dt>
          <dd className="break-all font-mono">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
      {entries.length > 12 ? <div className="col-span-2 text-slate-500">… {entries.length - 12} more</div> : null}
    </dl>
  );
}
