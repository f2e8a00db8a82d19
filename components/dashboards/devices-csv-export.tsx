"use client";
// The rollout's devices as CSV with the filters chosen here; the filters live in the page URL
// (?state=&wave=&site=&os=) so a shared link opens with the same export.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId } from "react";
import { DEPLOYMENT_STATES, STATE_LABELS } from "@/lib/deployments/states";

export type CsvFilterOptions = { waves: { id: number; name: string }[]; sites: string[]; osNames: string[] };
const KEYS = ["state", "wave", "site", "os"] as const;

const selectClass = "mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900";

export function DevicesCsvExport({ rolloutId, options }: { rolloutId: number; options: CsvFilterOptions }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const id = useId();
  const current = Object.fromEntries(KEYS.map((k) => [k, search.get(k) ?? ""])) as Record<(typeof KEYS)[number], string>;
  const query = new URLSearchParams(KEYS.filter((k) => current[k]).map((k) => [k, current[k]]));
  const href = `/api/v1/rollouts/${rolloutId}/devices.csv${query.size ? `?${query}` : ""}`;

  const set = (key: (typeof KEYS)[number], value: string) => {
    const next = new URLSearchParams(search.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`, { scroll: false });
  };

  const field = (key: (typeof KEYS)[number], label: string, choices: { value: string; label: string }[]) => (
    <div>
      <label htmlFor={`${id}-${key}`} className="text-sm font-medium">
        {label}
      </label>
      <select id={`${id}-${key}`} value={current[key]} onChange={(e) => set(key, e.target.value)} className={selectClass}>
        <option value="">Any</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div data-testid="devices-csv-export">
      <div className="grid gap-3 sm:grid-cols-4">
        {field("state", "State", DEPLOYMENT_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] })))}
        {field("wave", "Wave", options.waves.map((w) => ({ value: String(w.id), label: w.name })))}
        {field("site", "Site", options.sites.map((s) => ({ value: s, label: s })))}
        {field("os", "Operating system", options.osNames.map((o) => ({ value: o, label: o })))}
      </div>
      <p className="mt-3">
        <a href={href} download className="inline-block rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white no-underline hover:bg-blue-800 dark:bg-blue-300 dark:text-slate-950 dark:hover:bg-blue-200">
          Download devices as CSV
        </a>
        <span className="ml-3 text-sm text-slate-700 dark:text-slate-300">
          {query.size ? "With the filters above." : "All devices of this rollout."} Also for scripts: <code>GET {href}</code> with a read token.
        </span>
      </p>
    </div>
  );
}
