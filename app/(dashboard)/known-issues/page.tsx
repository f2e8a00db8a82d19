import Link from "next/link";
import { KnownIssueTable } from "@/components/known-issues/issue-table";
import { Card, EmptyState } from "@/components/ui/card";
import { inputClass, buttonClass } from "@/components/admin/form-styles";
import { getPageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";
import { KNOWN_ISSUE_STATUSES, SEVERITIES, STATUS_LABELS } from "@/lib/known-issues/lifecycle";
import { listKnownIssues, listUpdateChoices, parseKnownIssueFilters, RECENTLY_RESOLVED_DAYS } from "@/lib/known-issues/queries";

export const metadata = { title: "Known issues" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const VIEW_LABELS = { current: `Active and resolved in the last ${RECENTLY_RESOLVED_DAYS} days`, history: "History (resolved earlier)", all: "All" } as const;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function KnownIssuesPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await getPageActor();
  const raw = await searchParams;
  const input = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, first(v)]));
  let filters;
  let invalid: string | null = null;
  try {
    filters = parseKnownIssueFilters(input);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    invalid = error.message;
    filters = parseKnownIssueFilters({});
  }
  const [list, updates] = await Promise.all([listKnownIssues(actor, filters), listUpdateChoices(actor)]);
  const linkWith = (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(input)) if (v && k !== "page") params.set(k, v);
    params.set("page", String(page));
    return `/known-issues?${params}`;
  };
  const status = filters.status?.[0] ?? "";
  const severity = filters.severity?.[0] ?? "";
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Known issues</h1>
        <div className="flex gap-4 text-sm">
          <a href="/feeds/known-issues.atom">Atom feed</a>
          {can(actor, "known_issue.write") ? (
            <Link href="/known-issues/new" className={`${buttonClass} no-underline hover:no-underline`}>
              New known issue
            </Link>
          ) : null}
        </div>
      </div>
      <Card>
        <form method="get" action="/known-issues" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6" role="search" aria-label="Filter known issues">
          <div>
            <label htmlFor="f-view" className="block text-sm font-medium">Show</label>
            <select id="f-view" name="view" defaultValue={filters.view} className={inputClass}>
              {Object.entries(VIEW_LABELS).map(([value, label]) => (
                <option key={value} value={value}>{label}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-status" className="block text-sm font-medium">Status</label>
            <select id="f-status" name="status" defaultValue={status} className={inputClass}>
              <option value="">Any</option>
              {KNOWN_ISSUE_STATUSES.map((s) => (
                <option key={s} value={s}>{STATUS_LABELS[s]}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-severity" className="block text-sm font-medium">Severity</label>
            <select id="f-severity" name="severity" defaultValue={severity} className={inputClass}>
              <option value="">Any</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>{s}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-update" className="block text-sm font-medium">Update</label>
            <select id="f-update" name="update" defaultValue={filters.update ?? ""} className={inputClass}>
              <option value="">Any</option>
              {updates.map((u) => (
                <option key={u.slug} value={u.slug}>{u.title}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-app" className="block text-sm font-medium">App</label>
            <input id="f-app" name="app" defaultValue={filters.app ?? ""} className={inputClass} placeholder="e.g. CRM" />
          </div>
          <div className="flex items-end">
            <button type="submit" className={buttonClass}>Filter</button>
          </div>
        </form>
        {invalid ? <p role="alert" className="mt-2 text-sm text-red-800 dark:text-red-300">{invalid} Showing the default list.</p> : null}
      </Card>
      <Card>
        <p className="mb-2 text-sm text-slate-600 dark:text-slate-300" aria-live="polite">
          {list.total} issue{list.total === 1 ? "" : "s"}
          {list.total > list.pageSize ? ` · page ${list.page} of ${Math.ceil(list.total / list.pageSize)}` : ""}
        </p>
        {list.items.length ? <KnownIssueTable items={list.items} caption="Known issues matching the filters" /> : <EmptyState>No known issue matches these filters.</EmptyState>}
        <nav aria-label="Pages" className="mt-3 flex gap-4 text-sm">
          {list.page > 1 ? <Link href={linkWith(list.page - 1)}>Previous page</Link> : null}
          {list.hasMore ? <Link href={linkWith(list.page + 1)}>Next page</Link> : null}
        </nav>
      </Card>
    </div>
  );
}
