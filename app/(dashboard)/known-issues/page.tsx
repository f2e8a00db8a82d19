import Link from "next/link";
import { KnownIssueTable } from "@/components/known-issues/issue-table";
import { Card, EmptyState } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { buttonClass } from "@/components/ui/button-styles";
import { SelectField, TextField } from "@/components/ui/form-field";
import { getPageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/problem";
import { firstValues, type SearchParams } from "@/lib/http/query";
import { KNOWN_ISSUE_STATUSES, SEVERITIES, STATUS_LABELS } from "@/lib/known-issues/lifecycle";
import { listKnownIssues, listUpdateChoices, parseKnownIssueFilters, RECENTLY_RESOLVED_DAYS } from "@/lib/known-issues/queries";

export const metadata = { title: "Known issues" };

const VIEW_LABELS = { current: `Active and resolved in the last ${RECENTLY_RESOLVED_DAYS} days`, history: "History (resolved earlier)", all: "All" } as const;

export default async function KnownIssuesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await getPageActor();
  const input = firstValues(await searchParams);
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
            <Link href="/known-issues/new" className={`${buttonClass()} no-underline hover:no-underline`}>
              New known issue
            </Link>
          ) : null}
        </div>
      </div>
      <Card>
        <form method="get" action="/known-issues" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6" role="search" aria-label="Filter known issues">
          <SelectField name="view" label="Show" defaultValue={filters.view} options={Object.entries(VIEW_LABELS).map(([value, label]) => ({ value, label }))} />
          <SelectField name="status" label="Status" defaultValue={status} placeholder="Any" options={KNOWN_ISSUE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
          <SelectField name="severity" label="Severity" defaultValue={severity} placeholder="Any" options={SEVERITIES} />
          <SelectField name="update" label="Update" defaultValue={filters.update ?? ""} placeholder="Any" options={updates.map((u) => ({ value: u.slug, label: u.title }))} />
          <TextField name="app" label="App" defaultValue={filters.app ?? ""} placeholder="e.g. CRM" />
          <div className="flex items-end">
            <Button type="submit">Filter</Button>
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
