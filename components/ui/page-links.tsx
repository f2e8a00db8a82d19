// Previous / next links of a keyset-paginated list (lib/http/keyset-page.ts): the filters stay in the
// address, the cursor changes. Nothing shows when the list fits on one page.
import Link from "next/link";

export function PageLinks({ path, filters = {}, nextCursor, prevCursor, size = 100 }: { path: string; filters?: Record<string, string>; nextCursor: string | null; prevCursor: string | null; size?: number }) {
  if (!nextCursor && !prevCursor) return null;
  const href = (extra: Record<string, string>) => `${path}?${new URLSearchParams({ ...filters, ...extra })}`;
  return (
    <nav aria-label="Pages" className="mt-3 flex flex-wrap gap-4" data-testid="page-links">
      {prevCursor ? <Link href={href({ before: prevCursor })}>Previous {size}</Link> : null}
      {prevCursor ? <Link href={Object.keys(filters).length ? href({}) : path}>First page</Link> : null}
      {nextCursor ? <Link href={href({ cursor: nextCursor })}>Next {size}</Link> : null}
    </nav>
  );
}
