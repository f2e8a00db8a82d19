// The one box: a plain GET form to /search, so results have a shareable URL and work without JavaScript.
export function SearchBox({ defaultValue = "", autoFocus = false }: { defaultValue?: string; autoFocus?: boolean }) {
  return (
    <form method="get" action="/search" role="search" aria-label="Search Rollcall" className="flex gap-2">
      <label htmlFor="q" className="sr-only">
        Hostname, app, error code, KB number or issue
      </label>
      <input
        id="q"
        name="q"
        type="search"
        defaultValue={defaultValue}
        autoFocus={autoFocus}
        maxLength={200}
        autoComplete="off"
        placeholder="Hostname, app, error code (0x80070005), KB number, RC-0001 or words"
        className="block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
      />
      <button type="submit" className="rounded bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800">
        Search
      </button>
    </form>
  );
}
