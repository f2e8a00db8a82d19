// "Counted at 00:45:12 UTC": when a section's shared numbers were read (lib/cache/page-data.ts, slow reads).
export function CountedAt({ at, className = "" }: { at: string; className?: string }) {
  return (
    <p className={`text-xs text-slate-700 dark:text-slate-300 ${className}`} data-testid="counted-at">
      Counted at <time dateTime={at}>{at.slice(11, 19)} UTC</time> (viewers share these numbers for up to 30 s).
    </p>
  );
}
