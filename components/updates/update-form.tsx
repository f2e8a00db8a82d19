"use client";

import { useActionState, useRef } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormFeedback } from "@/components/ui/feedback";
import { SelectField, TextAreaField, TextField } from "@/components/ui/form-field";
import { EMPTY_FORM, type FormState } from "@/lib/forms/form-state";

export type UpdateDefaults = {
  slug: string;
  title: string;
  vendor: string;
  product: string;
  kind: string;
  kb: string | null;
  sizeBytes: number;
  description: string;
  vendorStatus: string;
  applicableOsNames: string[];
  plannedReleaseDate: string | null;
};

const KINDS = [
  { value: "service_pack", label: "Service pack" },
  { value: "security", label: "Security update" },
  { value: "feature", label: "Feature update" },
  { value: "driver", label: "Driver" },
  { value: "application", label: "Application" },
];

/** "Windows XP Service Pack 2" → "windows-xp-service-pack-2". */
export function slugFromTitle(title: string): string {
  return title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

export function UpdateForm({ action, defaults, editing = false }: { action: (s: FormState, f: FormData) => Promise<FormState>; defaults?: UpdateDefaults; editing?: boolean }) {
  const [state, formAction] = useActionState(action, EMPTY_FORM);
  // A new update's slug follows its title until the user edits the slug themselves.
  const slugTouched = useRef(editing);
  const slugInput = useRef<HTMLInputElement | null>(null);
  return (
    <form action={formAction} className="max-w-2xl space-y-4" noValidate>
      <FormFeedback state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          state={state}
          id="u-title"
          name="title"
          label="Title"
          required
          defaultValue={defaults?.title}
          onChange={(event) => {
            if (!slugTouched.current && slugInput.current) slugInput.current.value = slugFromTitle(event.currentTarget.value);
          }}
        />
        <TextField
          state={state}
          id="u-slug"
          name="slug"
          label="Slug"
          required
          defaultValue={defaults?.slug}
          hint="Used in URLs and the API, e.g. xp-sp2. Proposed from the title."
          ref={slugInput}
          onInput={() => {
            slugTouched.current = true;
          }}
        />
        <TextField state={state} id="u-vendor" name="vendor" label="Vendor" required defaultValue={defaults?.vendor} />
        <TextField state={state} id="u-product" name="product" label="Product" required defaultValue={defaults?.product} />
        <SelectField state={state} id="u-kind" name="kind" label="Kind" options={KINDS} defaultValue={defaults?.kind ?? "security"} />
        <TextField state={state} id="u-kb" name="kb" label="KB number (optional)" defaultValue={defaults?.kb} />
        <TextField
          state={state}
          id="u-size"
          name="sizeMb"
          label="Size (MB)"
          type="number"
          min={0}
          step="0.1"
          required
          defaultValue={defaults ? defaults.sizeBytes / 1_000_000 : ""}
        />
        {editing ? null : (
          <TextField state={state} id="u-date" name="plannedReleaseDate" label="Planned release date (optional)" type="date" defaultValue={defaults?.plannedReleaseDate} />
        )}
      </div>
      <TextField
        state={state}
        id="u-os"
        name="applicableOsNames"
        label="Applies to operating systems"
        defaultValue={defaults?.applicableOsNames.join(", ")}
        hint='Comma-separated OS names, e.g. "Windows XP". Devices on other systems are not applicable. Leave empty for every OS.'
      />
      <TextField state={state} id="u-status" name="vendorStatus" label="Vendor status" defaultValue={defaults?.vendorStatus} />
      <TextAreaField state={state} id="u-description" name="description" label="Description" hint="Markdown: **bold**, lists, links." defaultValue={defaults?.description} />
      <SubmitButton>{editing ? "Save changes" : "Create update"}</SubmitButton>
    </form>
  );
}
