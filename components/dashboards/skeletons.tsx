// Loading skeletons with the same boxes as the pages they stand in for, so nothing jumps when
// the data arrives. Announced once to screen readers through the status role.
const bar = "animate-pulse rounded bg-slate-200 dark:bg-slate-800";

export function LoadingStatus({ what }: { what: string }) {
  return (
    <p role="status" className="sr-only">
      Loading {what}…
    </p>
  );
}

export function HeadingSkeleton() {
  return <div className={`${bar} h-8 w-72`} aria-hidden="true" />;
}

export function TilesSkeleton({ count = 5 }: { count?: number }) {
  return (
    <div className={`grid grid-cols-2 gap-3 ${count >= 5 ? "md:grid-cols-5" : "md:grid-cols-4"}`} aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="h-[98px] rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <div className={`${bar} h-4 w-24`} />
          <div className={`${bar} mt-3 h-7 w-16`} />
        </div>
      ))}
    </div>
  );
}

export function CardSkeleton({ height = 160 }: { height?: number }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" aria-hidden="true">
      <div className={`${bar} h-5 w-48`} />
      <div className={`${bar} mt-4 w-full`} style={{ height }} />
    </div>
  );
}

export function TableSkeleton({ rows = 10 }: { rows?: number }) {
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" aria-hidden="true">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className={`${bar} h-6 w-full`} />
      ))}
    </div>
  );
}

export function PageSkeleton({ what, tiles = 0, cards = 2, table = false }: { what: string; tiles?: number; cards?: number; table?: boolean }) {
  return (
    <div className="space-y-6">
      <LoadingStatus what={what} />
      <HeadingSkeleton />
      {tiles ? <TilesSkeleton count={tiles} /> : null}
      {Array.from({ length: cards }, (_, i) => (
        <CardSkeleton key={i} />
      ))}
      {table ? <TableSkeleton /> : null}
    </div>
  );
}
