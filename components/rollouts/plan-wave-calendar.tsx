"use client";
// The planner's calendar and controls of one wave (issue #18): start and deadline as a date or
// "release + N days" with the date it resolves to, compliance target, ramp, what a gate breach does,
// a rollback maximum, the regression signal, the readiness rule and the blocking known issues.
import { CheckboxField, FieldMessages, SelectField, TextField } from "@/components/ui/form-field";
import { resolvedDay, toggled, type DateMode, type PlannerWave } from "./planner-model";

type Props = {
  index: number;
  wave: PlannerWave;
  releaseDate: string | null;
  knownIssues: { advisoryId: string; title: string }[];
  messages: (path: string) => string[] | undefined;
  onChange: (patch: Partial<PlannerWave>) => void;
};

const MODES = [
  { value: "date", label: "A date" },
  { value: "offset", label: "Release + days" },
];

const GATE_ACTIONS = [
  { value: "halt", label: "Halt the wave" },
  { value: "pause", label: "Pause the wave" },
  { value: "alert", label: "Alert only" },
];

function DateOrOffset({ index: i, wave, releaseDate, messages, onChange, which }: Props & { which: "start" | "deadline" }) {
  const modeKey = which === "start" ? "startMode" : "deadlineMode";
  const dateKey = which === "start" ? "plannedStartAt" : "deadlineAt";
  const offsetKey = which === "start" ? "startOffsetDays" : "deadlineOffsetDays";
  const label = which === "start" ? "Planned start" : "Deadline";
  const mode = wave[modeKey];
  const day = resolvedDay(mode, wave[dateKey], wave[offsetKey], releaseDate);
  const hint =
    mode === "offset"
      ? releaseDate
        ? `Release ${releaseDate}${day ? ` → ${day}` : ""}; moves when the release slips.`
        : "This update has no planned release date yet."
      : undefined;
  return (
    <div className="grid grid-cols-2 gap-2" data-testid={`w${i}-${which}`}>
      <SelectField
        id={`w${i}-${modeKey}`}
        name={`waves.${i}.${modeKey}`}
        label={`${label} is`}
        options={MODES}
        value={mode}
        onChange={(e) => onChange({ [modeKey]: e.target.value as DateMode })}
      />
      {mode === "date" ? (
        <TextField
          id={`w${i}-${dateKey}`}
          name={`waves.${i}.${dateKey}`}
          label={label}
          type="date"
          value={wave[dateKey]}
          errors={messages(`waves.${i}.${dateKey}`)}
          onChange={(e) => onChange({ [dateKey]: e.target.value })}
        />
      ) : (
        <TextField
          id={`w${i}-${offsetKey}`}
          name={`waves.${i}.${offsetKey}`}
          label={`${label}: days after release`}
          type="number"
          value={wave[offsetKey]}
          hint={hint}
          errors={messages(`waves.${i}.${offsetKey}`)}
          onChange={(e) => onChange({ [offsetKey]: e.target.value })}
        />
      )}
    </div>
  );
}

type NumberKey = "complianceTargetPct" | "maxDevicesPerDay" | "gateMaxRollbackPct" | "regressionMinReports" | "regressionMaxRatio" | "readinessMaxUntestedPct";

const NUMBER_FIELDS: { field: NumberKey; label: string; hint?: string; step?: string }[] = [
  { field: "complianceTargetPct", label: "Compliance target % by the deadline" },
  { field: "maxDevicesPerDay", label: "Ramp: max machines per day", hint: "Empty: no ramp." },
  { field: "gateMaxRollbackPct", label: "Gate: max rollback %", hint: "Empty: rollbacks count as failures only." },
  { field: "regressionMinReports", label: "Regression signal: decide from N reports", hint: "Empty: no regression signal." },
  { field: "regressionMaxRatio", label: "Regression: max ratio of report rates", step: "0.1" },
  { field: "readinessMaxUntestedPct", label: "Readiness: max % of machines with untested apps", hint: "Empty: no readiness rule." },
];

export function PlanWaveCalendar(props: Props) {
  const { index: i, wave, releaseDate, knownIssues, messages, onChange } = props;
  const startDay = resolvedDay(wave.startMode, wave.plannedStartAt, wave.startOffsetDays, releaseDate);
  const deadlineDay = resolvedDay(wave.deadlineMode, wave.deadlineAt, wave.deadlineOffsetDays, releaseDate);
  const blockingErrors = messages(`waves.${i}.blockingIssues`) ?? [];
  return (
    <fieldset className="space-y-3 rounded border border-slate-200 p-3 dark:border-slate-800">
      <legend className="px-1 text-sm font-medium">Calendar and controls</legend>
      <div className="grid gap-3 md:grid-cols-2">
        <DateOrOffset {...props} which="start" />
        <DateOrOffset {...props} which="deadline" />
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid={`w${i}-resulting-dates`}>
        Resulting dates: start {startDay ?? "not set"}, deadline {deadlineDay ?? "not set"}.
      </p>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {NUMBER_FIELDS.map(({ field, label, hint, step }) => (
          <TextField
            key={field}
            id={`w${i}-${field}`}
            name={`waves.${i}.${field}`}
            label={label}
            type="number"
            step={step}
            min={0}
            hint={hint}
            value={wave[field]}
            errors={messages(`waves.${i}.${field}`)}
            onChange={(e) => onChange({ [field]: e.target.value })}
          />
        ))}
        <SelectField
          id={`w${i}-gateAction`}
          name={`waves.${i}.gateAction`}
          label="On a gate breach"
          options={GATE_ACTIONS}
          value={wave.gateAction}
          errors={messages(`waves.${i}.gateAction`)}
          onChange={(e) => onChange({ gateAction: e.target.value })}
        />
      </div>
      <fieldset aria-describedby={blockingErrors.length ? `w${i}-blocking-error` : undefined}>
        <legend className="text-sm font-medium">Known issues that block this wave</legend>
        {knownIssues.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-300">This update has no known issues.</p> : null}
        <div className="mt-1 space-y-1">
          {knownIssues.map((issue) => (
            <CheckboxField
              key={issue.advisoryId}
              id={`w${i}-blocking-${issue.advisoryId}`}
              name={`waves.${i}.blockingIssues.${issue.advisoryId}`}
              label={
                <span className="font-normal">
                  {issue.advisoryId} {issue.title}
                </span>
              }
              checked={wave.blockingIssues.includes(issue.advisoryId)}
              onChange={() => onChange({ blockingIssues: toggled(wave.blockingIssues, issue.advisoryId) })}
            />
          ))}
        </div>
        <FieldMessages id={`w${i}-blocking`} messages={blockingErrors} />
      </fieldset>
    </fieldset>
  );
}
