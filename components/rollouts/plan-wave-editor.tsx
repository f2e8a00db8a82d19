"use client";
// One wave of the planner: its name and build, its targeting (fixed once the wave has started),
// its health gate, its calendar and controls, and the buttons that order it. Messages sit next to their fields.
import { Button } from "@/components/ui/button";
import { CheckboxField, FieldMessages, SelectField, TextAreaField, TextField } from "@/components/ui/form-field";
import { PlanWaveCalendar } from "./plan-wave-calendar";
import { toggled, type PlannerWave } from "./planner-model";

export type PlannerOption = { id: number; name: string };
export type PlannerChoices = {
  builds: PlannerOption[];
  sites: PlannerOption[];
  departments: PlannerOption[];
  osNames: string[];
  /** The update's planned release date (offset dates resolve from it) and its known issues. */
  releaseDate: string | null;
  knownIssues: { advisoryId: string; title: string }[];
};
/** Messages of a field path of the plan (`waves.1.targeting.hostnames`). */
export type PlanMessages = (path: string) => string[] | undefined;

type WaveProps = {
  index: number;
  wave: PlannerWave;
  choices: PlannerChoices;
  messages: PlanMessages;
  onChange: (patch: Partial<PlannerWave>) => void;
};

type GroupKey = "siteIds" | "departmentIds" | "osNames";

function CheckboxGroup({ index, group, label, options, wave, messages, onChange }: Omit<WaveProps, "choices"> & { group: GroupKey; label: string; options: { value: number | string; label: string }[] }) {
  const id = `w${index}-${group}`;
  const errors = messages(`waves.${index}.targeting.${group}`) ?? [];
  const chosen = wave[group] as (number | string)[];
  return (
    <fieldset aria-describedby={errors.length ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium">{label}</legend>
      <div className="mt-1 space-y-1">
        {options.map((o) => (
          <CheckboxField
            key={String(o.value)}
            id={`${id}-${o.value}`}
            name={`${id}-${o.value}`}
            label={<span className="font-normal">{o.label}</span>}
            checked={chosen.includes(o.value)}
            onChange={() => onChange({ [group]: toggled(chosen, o.value) } as Partial<PlannerWave>)}
          />
        ))}
      </div>
      <FieldMessages id={id} messages={errors} />
    </fieldset>
  );
}

function TargetingFields(props: WaveProps) {
  const { index: i, wave, choices, messages, onChange } = props;
  const path = `waves.${i}.targeting`;
  return (
    <fieldset disabled={wave.started} className="space-y-3 rounded border border-slate-200 p-3 dark:border-slate-800">
      <legend className="px-1 text-sm font-medium">Targeting (all filled criteria must match; empty = no restriction)</legend>
      <FieldMessages id={`w${i}-targeting`} messages={messages(path) ?? []} />
      <div className="grid gap-3 md:grid-cols-3">
        <CheckboxGroup {...props} group="siteIds" label="Sites" options={choices.sites.map((s) => ({ value: s.id, label: s.name }))} />
        <CheckboxGroup {...props} group="departmentIds" label="Departments" options={choices.departments.map((d) => ({ value: d.id, label: d.name }))} />
        <CheckboxGroup {...props} group="osNames" label="Operating systems" options={choices.osNames.map((o) => ({ value: o, label: o }))} />
      </div>
      <div className="grid gap-3 md:grid-cols-3">
        <TextField id={`w${i}-tags`} name={`${path}.tags`} label="Tags (any of)" placeholder="pilot, vip" value={wave.tags} errors={messages(`${path}.tags`)} onChange={(e) => onChange({ tags: e.target.value })} />
        <TextAreaField
          id={`w${i}-hostnames`}
          name={`${path}.hostnames`}
          label="Explicit hostnames"
          rows={2}
          value={wave.hostnames}
          errors={messages(`${path}.hostnames`)}
          onChange={(e) => onChange({ hostnames: e.target.value })}
        />
        <TextField
          id={`w${i}-sample`}
          name={`${path}.samplePercent`}
          label="Sample % of what is left"
          type="number"
          min={1}
          max={100}
          value={wave.samplePercent}
          errors={messages(`${path}.samplePercent`)}
          onChange={(e) => onChange({ samplePercent: e.target.value })}
        />
      </div>
    </fieldset>
  );
}

const GATE_FIELDS = [
  { field: "gateMinSuccessPct", label: "Gate: min success %" },
  { field: "gateMaxFailurePct", label: "Gate: max failure %" },
  { field: "gateMinAttempted", label: "Gate: decide from N attempted" },
  { field: "soakDays", label: "Soak days before auto-start" },
] as const;

function GateFields({ index: i, wave, messages, onChange }: WaveProps) {
  return (
    <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {GATE_FIELDS.map(({ field, label }) => (
        <TextField
          key={field}
          id={`w${i}-${field}`}
          name={`waves.${i}.${field}`}
          label={label}
          type="number"
          min={0}
          value={wave[field]}
          errors={messages(`waves.${i}.${field}`)}
          onChange={(e) => onChange({ [field]: e.target.value })}
        />
      ))}
      <CheckboxField
        id={`w${i}-autostart`}
        name={`waves.${i}.autoStart`}
        className="mt-6"
        label={<span className="font-normal">Start by itself after the previous wave passed and soaked</span>}
        checked={wave.autoStart}
        disabled={i === 0}
        onChange={(e) => onChange({ autoStart: e.target.checked })}
      />
    </div>
  );
}

export function PlanWaveEditor(props: WaveProps & { count: number; previousStarted: boolean; onMove: (delta: number) => void; onRemove: () => void }) {
  const { index: i, wave, choices, messages, onChange, count, previousStarted, onMove, onRemove } = props;
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="plan-wave">
      <fieldset className="space-y-3">
        <legend className="font-semibold">
          Wave {i} {wave.started ? <span className="text-sm font-normal">(started: its devices are fixed)</span> : null}
        </legend>
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField id={`w${i}-name`} name={`waves.${i}.name`} label="Wave name" value={wave.name} errors={messages(`waves.${i}.name`)} onChange={(e) => onChange({ name: e.target.value })} />
          <SelectField
            id={`w${i}-build`}
            name={`waves.${i}.buildId`}
            label="Build for this wave"
            placeholder="The rollout's build"
            options={choices.builds.map((b) => ({ value: String(b.id), label: b.name }))}
            value={wave.buildId}
            errors={messages(`waves.${i}.buildId`)}
            onChange={(e) => onChange({ buildId: e.target.value })}
          />
        </div>
        <TargetingFields {...props} />
        <GateFields {...props} />
        <PlanWaveCalendar index={i} wave={wave} releaseDate={choices.releaseDate} knownIssues={choices.knownIssues} messages={messages} onChange={onChange} />
        {wave.started ? null : (
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={i === 0 || previousStarted} onClick={() => onMove(-1)}>
              Move up
            </Button>
            <Button variant="secondary" disabled={i === count - 1} onClick={() => onMove(1)}>
              Move down
            </Button>
            <Button variant="secondary" disabled={count === 1} onClick={onRemove}>
              Remove wave {i}
            </Button>
          </div>
        )}
      </fieldset>
    </li>
  );
}
