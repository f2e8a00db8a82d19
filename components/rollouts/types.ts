// The shapes the rollout components render: the plan preview exactly as lib/rollouts/plan-preview.ts
// makes it (a type import only; nothing of lib runs in the browser).
import type { PlanPreview } from "@/lib/rollouts/plan-preview";

export type PlanPreviewView = Omit<PlanPreview, "update"> & { update: Omit<PlanPreview["update"], "id"> };
