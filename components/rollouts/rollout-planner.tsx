"use client";
// The rollout planner: ordered waves with targeting and gates, a preview (devices per wave, not
// applicable, download volume per site, link warnings) that must be fresh before saving.
import { useState, useTransition } from "react";
import { buttonClass, FieldMessage, FormOutcome, inputClass, secondaryButtonClass } from "./form-bits";
import { formatBytes, formatDuration } from "./format";
import type { PlannerInitial, PlannerWave } from "./planner-model";
import type { PlanPreviewView } from "./types";
import { blankWave } from "./planner-model";

type Option = { id: number; name: string };

type Result = { preview?: PlanPreviewView; errors?: { path: string; message: string }[]; error?: string };

type Props = {
  updateTitle: string;
  builds: Option[];
  sites: Option[];
  departments: Option[];
  osNames: string[];
  initial: PlannerInitial;
  preview: (plan: unknown) => Promise<Result>;
  save: (plan: unknown) => Promise<Result>;
};

const split = (text: string) =>
  text
    .split(/[,\n;]/)
    .map((s) => s.trim())
    .filter(Boolean);

function toPlan(name: string, buildId: string, waves: PlannerWave[], rolloutId?: number) {
  return {
    ...(rolloutId ? { rolloutId } : {}),
    name,
    buildId: buildId ? Number(buildId) : undefined,
    waves: waves.map((w) => ({
      ...(w.id ? { id: w.id } : {}),
      name: w.name,
      buildId: w.buildId ? Number(w.buildId) : null,
      targeting: {
        siteIds: w.siteIds,
        departmentIds: w.departmentIds,
        osNames: w.osNames,
        tags: split(w.tags),
        hostnames: split(w.hostnames),
        ...(w.samplePercent.trim() ? { samplePercent: w.samplePercent.trim() } : {}),
      },
      gateMinSuccessPct: w.gateMinSuccessPct,
      gateMaxFailurePct: w.gateMaxFailurePct,
      gateMinAttempted: w.gateMinAttempted,
      autoStart: w.autoStart,
      soakDays: w.soakDays,
      plannedStartAt: w.plannedStartAt ? w.plannedStartAt : null,
    })),
  };
}

export function RolloutPlanner({ updateTitle, builds, sites, departments, osNames, initial, preview, save }: Props) {
  const [name, setName] = useState(initial.name);
  const [buildId, setBuildId] = useState(initial.buildId);
  const [waves, setWaves] = useState<PlannerWave[]>(initial.waves);
  const [result, setResult] = useState<Result>({});
  const [fresh, setFresh] = useState(false);
  const [pending, startTransition] = useTransition();

  const errors = new Map<string, string[]>();
  for (const e of result.errors ?? []) errors.set(e.path, [...(errors.get(e.path) ?? []), e.message]);
  const err = (path: string) => errors.get(path);

  const edit = (fn: () => void) => {
    fn();
    setFresh(false);
  };
  const setWave = (i: number, patch: Partial<PlannerWave>) => edit(() => setWaves((ws) => ws.map((w, j) => (j === i ? { ...w, ...patch } : w))));
  const toggle = (list: number[] | string[], value: number | string) =>
    (list as (number | string)[]).includes(value) ? (list as (number | string)[]).filter((v) => v !== value) : [...list, value];

  const runPreview = () =>
    startTransition(async () => {
      const r = await preview(toPlan(name, buildId, waves, initial.rolloutId));
      setResult(r);
      setFresh(!r.errors?.length && !r.error);
    });
  const runSave = () =>
    startTransition(async () => {
      const r = await save(toPlan(name, buildId, waves, initial.rolloutId));
      if (r) {
        setResult(r);
        setFresh(false);
      }
    });

  const move = (i: number, delta: number) =>
    edit(() =>
      setWaves((ws) => {
        const next = [...ws];
        const [w] = next.splice(i, 1);
        next.splice(i + delta, 0, w);
        return next;
      }),
    );

  return (
    <div className="space-y-6">
      <FormOutcome state={{ error: result.error }} />
      <div className="grid max-w-2xl gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="plan-name" className="block text-sm font-medium">
            Rollout name
          </label>
          <input id="plan-name" className={inputClass} value={name} onChange={(e) => edit(() => setName(e.target.value))} aria-describedby={err("name") ? "plan-name-error" : undefined} />
          <FieldMessage id="plan-name" errors={err("name")} />
        </div>
        <div>
          <label htmlFor="plan-build" className="block text-sm font-medium">
            Build of {updateTitle}
          </label>
          <select id="plan-build" className={inputClass} value={buildId} onChange={(e) => edit(() => setBuildId(e.target.value))} aria-describedby={err("buildId") ? "plan-build-error" : undefined}>
            <option value="">Choose a build…</option>
            {builds.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
          <FieldMessage id="plan-build" errors={err("buildId")} />
        </div>
      </div>
      <FieldMessage id="plan-waves" errors={err("waves")} />

      <ol className="space-y-4" aria-label="Waves, in the order they start">
        {waves.map((wave, i) => {
          const p = `waves.${i}`;
          const id = (field: string) => `w${i}-${field}`;
          const locked = wave.started;
          return (
            <li key={wave.id ?? `new-${i}`} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="plan-wave">
              <fieldset className="space-y-3">
                <legend className="font-semibold">
                  Wave {i} {locked ? <span className="text-sm font-normal">(started: its devices are fixed)</span> : null}
                </legend>
                <div className="grid gap-3 sm:grid-cols-2">
                  <div>
                    <label htmlFor={id("name")} className="block text-sm font-medium">
                      Wave name
                    </label>
                    <input id={id("name")} className={inputClass} value={wave.name} onChange={(e) => setWave(i, { name: e.target.value })} aria-describedby={err(`${p}.name`) ? `${id("name")}-error` : undefined} />
                    <FieldMessage id={id("name")} errors={err(`${p}.name`)} />
                  </div>
                  <div>
                    <label htmlFor={id("build")} className="block text-sm font-medium">
                      Build for this wave
                    </label>
                    <select id={id("build")} className={inputClass} value={wave.buildId} onChange={(e) => setWave(i, { buildId: e.target.value })}>
                      <option value="">The rollout&apos;s build</option>
                      {builds.map((b) => (
                        <option key={b.id} value={b.id}>
                          {b.name}
                        </option>
                      ))}
                    </select>
                    <FieldMessage id={id("build")} errors={err(`${p}.buildId`)} />
                  </div>
                </div>

                <fieldset disabled={locked} className="space-y-3 rounded border border-slate-200 p-3 dark:border-slate-800">
                  <legend className="px-1 text-sm font-medium">Targeting (all filled criteria must match; empty = no restriction)</legend>
                  <FieldMessage id={id("targeting")} errors={err(`${p}.targeting`)} />
                  <div className="grid gap-3 md:grid-cols-3">
                    {[
                      { label: "Sites", key: "siteIds" as const, options: sites.map((s) => ({ value: s.id, label: s.name })) },
                      { label: "Departments", key: "departmentIds" as const, options: departments.map((d) => ({ value: d.id, label: d.name })) },
                      { label: "Operating systems", key: "osNames" as const, options: osNames.map((o) => ({ value: o, label: o })) },
                    ].map((group) => (
                      <fieldset key={group.key} aria-describedby={err(`${p}.targeting.${group.key}`) ? `${id(group.key)}-error` : undefined}>
                        <legend className="text-sm font-medium">{group.label}</legend>
                        <div className="mt-1 space-y-1">
                          {group.options.map((o) => (
                            <label key={String(o.value)} className="flex items-center gap-2 text-sm">
                              <input
                                type="checkbox"
                                checked={(wave[group.key] as (number | string)[]).includes(o.value)}
                                onChange={() => setWave(i, { [group.key]: toggle(wave[group.key], o.value) } as Partial<PlannerWave>)}
                              />
                              {o.label}
                            </label>
                          ))}
                        </div>
                        <FieldMessage id={id(group.key)} errors={err(`${p}.targeting.${group.key}`)} />
                      </fieldset>
                    ))}
                  </div>
                  <div className="grid gap-3 md:grid-cols-3">
                    <div>
                      <label htmlFor={id("tags")} className="block text-sm font-medium">
                        Tags (any of)
                      </label>
                      <input id={id("tags")} className={inputClass} value={wave.tags} onChange={(e) => setWave(i, { tags: e.target.value })} placeholder="pilot, vip" />
                      <FieldMessage id={id("tags")} errors={err(`${p}.targeting.tags`)} />
                    </div>
                    <div>
                      <label htmlFor={id("hostnames")} className="block text-sm font-medium">
                        Explicit hostnames
                      </label>
                      <textarea id={id("hostnames")} rows={2} className={inputClass} value={wave.hostnames} onChange={(e) => setWave(i, { hostnames: e.target.value })} aria-describedby={err(`${p}.targeting.hostnames`) ? `${id("hostnames")}-error` : undefined} />
                      <FieldMessage id={id("hostnames")} errors={err(`${p}.targeting.hostnames`)} />
                    </div>
                    <div>
                      <label htmlFor={id("sample")} className="block text-sm font-medium">
                        Sample % of what is left
                      </label>
                      <input id={id("sample")} type="number" min={1} max={100} className={inputClass} value={wave.samplePercent} onChange={(e) => setWave(i, { samplePercent: e.target.value })} aria-describedby={err(`${p}.targeting.samplePercent`) ? `${id("sample")}-error` : undefined} />
                      <FieldMessage id={id("sample")} errors={err(`${p}.targeting.samplePercent`)} />
                    </div>
                  </div>
                </fieldset>

                <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
                  {[
                    { field: "gateMinSuccessPct" as const, label: "Gate: min success %" },
                    { field: "gateMaxFailurePct" as const, label: "Gate: max failure %" },
                    { field: "gateMinAttempted" as const, label: "Gate: decide from N attempted" },
                    { field: "soakDays" as const, label: "Soak days before auto-start" },
                  ].map(({ field, label }) => (
                    <div key={field}>
                      <label htmlFor={id(field)} className="block text-sm font-medium">
                        {label}
                      </label>
                      <input id={id(field)} type="number" min={0} className={inputClass} value={wave[field]} onChange={(e) => setWave(i, { [field]: e.target.value } as Partial<PlannerWave>)} aria-describedby={err(`${p}.${field}`) ? `${id(field)}-error` : undefined} />
                      <FieldMessage id={id(field)} errors={err(`${p}.${field}`)} />
                    </div>
                  ))}
                  <div>
                    <label htmlFor={id("start")} className="block text-sm font-medium">
                      Planned start
                    </label>
                    <input id={id("start")} type="date" className={inputClass} value={wave.plannedStartAt} onChange={(e) => setWave(i, { plannedStartAt: e.target.value })} />
                    <FieldMessage id={id("start")} errors={err(`${p}.plannedStartAt`)} />
                  </div>
                  <label className="mt-6 flex items-center gap-2 text-sm">
                    <input type="checkbox" checked={wave.autoStart} disabled={i === 0} onChange={(e) => setWave(i, { autoStart: e.target.checked })} />
                    Start by itself after the previous wave passed and soaked
                  </label>
                </div>
                {!locked ? (
                  <div className="flex flex-wrap gap-2">
                    <button type="button" className={secondaryButtonClass} disabled={i === 0 || waves[i - 1]?.started} onClick={() => move(i, -1)}>
                      Move up
                    </button>
                    <button type="button" className={secondaryButtonClass} disabled={i === waves.length - 1} onClick={() => move(i, 1)}>
                      Move down
                    </button>
                    <button type="button" className={secondaryButtonClass} disabled={waves.length === 1} onClick={() => edit(() => setWaves((ws) => ws.filter((_, j) => j !== i)))}>
                      Remove wave {i}
                    </button>
                  </div>
                ) : null}
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="flex flex-wrap gap-3">
        <button type="button" className={secondaryButtonClass} onClick={() => edit(() => setWaves((ws) => [...ws, blankWave(`Wave ${ws.length}`)]))}>
          Add a wave
        </button>
        <button type="button" className={buttonClass} onClick={runPreview} disabled={pending}>
          {pending ? "Working…" : "Preview"}
        </button>
        <button type="button" className={buttonClass} onClick={runSave} disabled={pending || !fresh} aria-describedby="save-hint">
          Save plan
        </button>
        <span id="save-hint" className="self-center text-sm text-slate-600 dark:text-slate-300">
          {fresh ? "The preview is up to date." : "Preview the plan before saving it."}
        </span>
      </div>
      {result.preview ? <PreviewTable preview={result.preview} /> : null}
    </div>
  );
}

function PreviewTable({ preview }: { preview: PlanPreviewView }) {
  return (
    <section aria-labelledby="preview-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="plan-preview">
      <h2 id="preview-heading" className="text-lg font-semibold">
        Preview
      </h2>
      <p className="text-sm">
        {preview.total.toLocaleString("en")} devices: <strong>{preview.notApplicable.toLocaleString("en")} not applicable</strong>
        {preview.notApplicableByOs.length ? ` (${preview.notApplicableByOs.map((o) => `${o.osName}: ${o.devices}`).join(", ")})` : ""}, {preview.excluded.toLocaleString("en")} in no wave (excluded). Update size {formatBytes(preview.update.sizeBytes)}.
      </p>
      <table className="w-full text-sm">
        <caption className="sr-only">Devices and downloads per wave</caption>
        <thead>
          <tr className="text-left">
            <th scope="col">Wave</th>
            <th scope="col">Devices</th>
            <th scope="col">Held</th>
            <th scope="col">Network / offline</th>
            <th scope="col">Download per site</th>
          </tr>
        </thead>
        <tbody>
          {preview.waves.map((w) => (
            <tr key={w.index} className="border-t border-slate-200 align-top dark:border-slate-800" data-testid="preview-wave">
              <td className="py-1.5">{w.name}</td>
              <td className="tabular-nums" data-testid="preview-wave-devices">
                {w.devices.toLocaleString("en")}
              </td>
              <td className="tabular-nums">{w.held}</td>
              <td className="tabular-nums">
                {w.network} / {w.offline}
              </td>
              <td>
                <ul>
                  {w.sites.map((s) => (
                    <li key={s.siteId}>
                      {s.name}: {formatBytes(s.downloadBytes)}
                      {s.transferSeconds !== null ? ` — ${formatDuration(s.transferSeconds)} at ${s.linkKbps} kbit/s` : s.networkDevices ? " — link speed unknown" : ""}
                    </li>
                  ))}
                </ul>
                {w.warnings.map((warning) => (
                  <p key={warning} role="alert" className="mt-1 rounded bg-amber-100 p-1 text-amber-950 dark:bg-amber-900 dark:text-amber-50">
                    ⚠ {warning}
                  </p>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
