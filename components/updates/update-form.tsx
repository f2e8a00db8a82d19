"use client";

import { useActionState } from "react";
import { buttonClass, Field, FieldMessage, FormOutcome, inputClass } from "@/components/rollouts/form-bits";
import { EMPTY_FORM, type FormState } from "@/components/rollouts/form-state";

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
  ["service_pack", "Service pack"],
  ["security", "Security update"],
  ["feature", "Feature update"],
  ["driver", "Driver"],
  ["application", "Application"],
] as const;

export function UpdateForm({ action, defaults, editing = false }: { action: (s: FormState, f: FormData) => Promise<FormState>; defaults?: UpdateDefaults; editing?: boolean }) {
  const [state, formAction, pending] = useActionState(action, EMPTY_FORM);
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="max-w-2xl space-y-4" noValidate>
      <FormOutcome state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="u-title" name="title" label="Title" required defaultValue={defaults?.title} errors={e.title} />
        <Field id="u-slug" name="slug" label="Slug" required defaultValue={defaults?.slug} errors={e.slug} hint="Used in URLs and the API, e.g. xp-sp2." />
        <Field id="u-vendor" name="vendor" label="Vendor" required defaultValue={defaults?.vendor} errors={e.vendor} />
        <Field id="u-product" name="product" label="Product" required defaultValue={defaults?.product} errors={e.product} />
        <div>
          <label htmlFor="u-kind" className="block text-sm font-medium">
            Kind
          </label>
          <select id="u-kind" name="kind" defaultValue={defaults?.kind ?? "security"} className={inputClass} aria-describedby={e.kind ? "u-kind-error" : undefined}>
            {KINDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <FieldMessage id="u-kind" errors={e.kind} />
        </div>
        <Field id="u-kb" name="kb" label="KB number (optional)" defaultValue={defaults?.kb ?? ""} errors={e.kb} />
        <Field id="u-size" name="sizeMb" label="Size (MB)" type="number" min={0} step="0.1" required defaultValue={defaults ? defaults.sizeBytes / 1_000_000 : ""} errors={e.sizeMb} />
        {editing ? null : (
          <Field id="u-date" name="plannedReleaseDate" label="Planned release date (optional)" type="date" defaultValue={defaults?.plannedReleaseDate ?? ""} errors={e.plannedReleaseDate} />
        )}
      </div>
      <Field
        id="u-os"
        name="applicableOsNames"
        label="Applies to operating systems"
        defaultValue={defaults?.applicableOsNames.join(", ") ?? ""}
        errors={e.applicableOsNames}
        hint='Comma-separated OS names, e.g. "Windows XP". Devices on other systems are not applicable. Leave empty for every OS.'
      />
      <Field id="u-status" name="vendorStatus" label="Vendor status" defaultValue={defaults?.vendorStatus} errors={e.vendorStatus} />
      <div>
        <label htmlFor="u-description" className="block text-sm font-medium">
          Description
        </label>
        <textarea id="u-description" name="description" rows={4} defaultValue={defaults?.description} className={inputClass} />
        <FieldMessage id="u-description" errors={e.description} />
      </div>
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? "Saving…" : editing ? "Save changes" : "Create update"}
      </button>
    </form>
  );
}
