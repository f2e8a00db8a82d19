"use client";
// The rollout planner: ordered waves with targeting and gates, a preview (devices per wave, not
// applicable, download volume per site, link warnings) that must be fresh before saving. What the
// editor typed stays in the planner's state; the server's messages appear next to their fields.
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { FieldMessages, SelectField, TextField } from "@/components/ui/form-field";
import type { FormState } from "@/lib/forms/form-state";
import { PlanPreviewTable } from "./plan-preview-table";
import { PlanWaveEditor, type PlannerChoices } from "./plan-wave-editor";
import { blankWave, moved, toPlan, type PlannerInitial, type PlannerWave } from "./planner-model";
import type { PlanPreviewView } from "./types";

type PlanAnswer = FormState & { preview?: PlanPreviewView };
type PlanCall = (plan: ReturnType<typeof toPlan>) => Promise<PlanAnswer>;

type Props = PlannerChoices & {
  updateTitle: string;
  initial: PlannerInitial;
  preview: PlanCall;
  save: PlanCall;
};

export function RolloutPlanner({ updateTitle, initial, preview, save, ...choices }: Props) {
  const [name, setName] = useState(initial.name);
  const [buildId, setBuildId] = useState(initial.buildId);
  const [silentAfterDays, setSilentAfterDays] = useState(initial.silentAfterDays);
  const [waves, setWaves] = useState<PlannerWave[]>(initial.waves);
  const [answer, setAnswer] = useState<PlanAnswer>({});
  const [fresh, setFresh] = useState(false);
  const [pending, startTransition] = useTransition();
  const messages = (path: string) => answer.fieldErrors?.[path];

  // Any edit makes the preview stale: save needs a new one.
  const edit = (change: () => void) => {
    change();
    setFresh(false);
  };
  const editWaves = (change: (waves: PlannerWave[]) => PlannerWave[]) => edit(() => setWaves(change));
  const send = (call: PlanCall, afterwards: (answer: PlanAnswer) => void) =>
    startTransition(async () => {
      const answered = await call(toPlan(name, buildId, waves, initial.rolloutId, silentAfterDays));
      // A saved plan redirects; only a refusal comes back.
      if (answered) afterwards(answered);
    });
  const runPreview = () =>
    send(preview, (answered) => {
      setAnswer(answered);
      setFresh(Boolean(answered.ok));
    });
  const runSave = () =>
    send(save, (answered) => {
      setAnswer(answered);
      setFresh(false);
    });

  return (
    <div className="space-y-6">
      <FormFeedback state={{ error: answer.error }} />
      <div className="grid max-w-3xl gap-4 sm:grid-cols-3">
        <TextField id="plan-name" name="name" label="Rollout name" value={name} errors={messages("name")} onChange={(e) => edit(() => setName(e.target.value))} />
        <SelectField
          id="plan-build"
          name="buildId"
          label={`Build of ${updateTitle}`}
          placeholder="Choose a build…"
          options={choices.builds.map((b) => ({ value: String(b.id), label: b.name }))}
          value={buildId}
          errors={messages("buildId")}
          onChange={(e) => edit(() => setBuildId(e.target.value))}
        />
        <TextField
          id="plan-silent"
          name="silentAfterDays"
          label="Silent after N days without a report"
          type="number"
          min={1}
          value={silentAfterDays}
          errors={messages("silentAfterDays")}
          onChange={(e) => edit(() => setSilentAfterDays(e.target.value))}
        />
      </div>
      <FieldMessages id="plan-waves" messages={messages("waves") ?? []} />

      <ol className="space-y-4" aria-label="Waves, in the order they start">
        {waves.map((wave, i) => (
          <PlanWaveEditor
            key={wave.id ?? `new-${i}`}
            index={i}
            wave={wave}
            choices={choices}
            messages={messages}
            count={waves.length}
            previousStarted={Boolean(waves[i - 1]?.started)}
            onChange={(patch) => editWaves((ws) => ws.map((w, j) => (j === i ? { ...w, ...patch } : w)))}
            onMove={(delta) => editWaves((ws) => moved(ws, i, delta))}
            onRemove={() => editWaves((ws) => ws.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <div className="flex flex-wrap gap-3">
        <Button variant="secondary" onClick={() => editWaves((ws) => [...ws, blankWave(`Wave ${ws.length}`)])}>
          Add a wave
        </Button>
        <Button onClick={runPreview} disabled={pending}>
          {pending ? "Working…" : "Preview"}
        </Button>
        <Button onClick={runSave} disabled={pending || !fresh} aria-describedby="save-hint">
          Save plan
        </Button>
        <span id="save-hint" className="self-center text-sm text-slate-600 dark:text-slate-300">
          {fresh ? "The preview is up to date." : "Preview the plan before saving it."}
        </span>
      </div>
      {answer.preview ? <PlanPreviewTable preview={answer.preview} /> : null}
    </div>
  );
}
