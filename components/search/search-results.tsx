import Link from "next/link";
import type { SearchResults as Results } from "@/lib/search/search";

const plural = (n: number, noun: string) => `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;

/** Results grouped by kind, best group first; each group a list of links. */
export function SearchResults({ results }: { results: Results }) {
  if (results.groups.length === 0) {
    return (
      <p className="text-slate-600 dark:text-slate-300" role="status">
        Nothing found for “{results.query}”. Try part of a hostname, an app name, an error code such as 0x80070005 or a KB number.
      </p>
    );
  }
  return (
    <div className="space-y-6">
      <p className="sr-only" role="status">
        {plural(results.total, "result")} in {plural(results.groups.length, "group")}.
      </p>
      {results.groups.map((group) => (
        <section key={group.kind} aria-labelledby={`group-${group.kind}`} data-testid={`search-group-${group.kind}`}>
          <h2 id={`group-${group.kind}`} className="mb-2 text-base font-semibold">
            {group.label}
          </h2>
          <ul className="divide-y divide-slate-100 rounded border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
            {group.items.map((item) => (
              <li key={item.key} className="px-3 py-2" data-testid="search-result">
                <Link href={item.href} className="font-medium">
                  {item.title}
                </Link>
                {item.subtitle ? <p className="text-sm text-slate-600 dark:text-slate-300">{item.subtitle}</p> : null}
                {item.links?.length ? (
                  <ul className="mt-1 flex flex-wrap gap-x-3 text-sm" aria-label={`Devices reporting ${item.key.split(" ")[0]}`}>
                    {item.links.map((link) => (
                      <li key={link.href}>
                        <Link href={link.href}>{link.label}</Link>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
          {group.more ? <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">More matches: type more of the name to narrow them down.</p> : null}
        </section>
      ))}
    </div>
  );
}
