import { redirect } from "next/navigation";
import { SearchBox } from "@/components/search/search-box";
import { SearchResults } from "@/components/search/search-results";
import { getPageActor } from "@/lib/auth/session";
import { firstValue, type SearchParams } from "@/lib/http/query";
import { MIN_QUERY_LENGTH } from "@/lib/search/query";
import { search } from "@/lib/search/search";

type Props = { searchParams: Promise<SearchParams> };

export async function generateMetadata({ searchParams }: Props) {
  const text = firstValue((await searchParams).q)?.trim();
  return { title: text ? `Search: ${text.slice(0, 60)}` : "Search" };
}

export default async function SearchPage({ searchParams }: Props) {
  const actor = await getPageActor();
  const q = firstValue((await searchParams).q) ?? "";
  const results = q.trim().length >= MIN_QUERY_LENGTH ? await search(actor, q) : null;
  // A caller reads out their machine's name: an exact hostname opens that machine (`all=1` lists everything instead).
  const exactDevice = results?.groups.find((g) => g.kind === "device")?.items.find((item) => item.key.toLowerCase() === q.trim().toLowerCase());
  if (exactDevice && !(await searchParams).all) redirect(exactDevice.href);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Search</h1>
      <SearchBox defaultValue={q} autoFocus={!q} />
      {results ? (
        <SearchResults results={results} />
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Type at least {MIN_QUERY_LENGTH} characters: a caller&apos;s hostname, an app, an error code, a KB number, an advisory id or words from an issue.
        </p>
      )}
    </div>
  );
}
