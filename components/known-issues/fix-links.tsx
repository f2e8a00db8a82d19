import type { FixLink } from "@/lib/known-issues/types";
import { EXTERNAL_LINK_REL } from "@/lib/known-issues/markdown";
import { formatDate } from "@/lib/format";

const TYPE_LABELS = { patch: "Patch", kb: "KB article", advisory: "Advisory", download: "Download" } as const;

/** Vendor fix links: stored as http(s) only; shown as external links that pass no referrer. */
export function FixLinkList({ links, renderRemove }: { links: FixLink[]; renderRemove?: (link: FixLink) => React.ReactNode }) {
  if (links.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">No vendor fix yet.</p>;
  return (
    <ul className="space-y-2" aria-label="Vendor fixes">
      {links.map((link) => (
        <li key={link.id} className="flex flex-wrap items-baseline gap-x-2 text-sm" data-testid="fix-link">
          <span className="font-medium">{link.vendor}:</span>
          <a href={link.url} rel={EXTERNAL_LINK_REL}>
            {link.title}
          </a>
          <span className="text-slate-600 dark:text-slate-300">
            ({TYPE_LABELS[link.type]}
            {link.publishedAt ? `, published ${formatDate(link.publishedAt)}` : ""})
          </span>
          {renderRemove ? renderRemove(link) : null}
        </li>
      ))}
    </ul>
  );
}
