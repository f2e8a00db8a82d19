// The answers of the build routes (issue #17), described once for lib/openapi/operations.ts.
import { z } from "zod";

const buildView = z.looseObject({ id: z.number().int().positive(), name: z.string(), version: z.string() });

export const PromotionResponse = z.looseObject({
  rolloutId: z.number().int().positive(),
  from: buildView.meta({ description: "The build the rollout targeted before." }),
  to: buildView.meta({ description: "The build every wave that is not completed now targets." }),
  moved: z.array(z.looseObject({ id: z.number().int().positive(), name: z.string(), from: buildView })).meta({ description: "The waves moved, in order, with the build each targeted before." }),
  note: z.string(),
});

/** What GET /api/v1/rollouts/{id}/progress adds per wave. */
export const WaveBuildFields = {
  build: buildView.nullable().meta({ description: "The build the wave targets (its own, else the rollout's)." }),
  behind: z.number().int().min(0).meta({ description: "Installed, behind: machines that installed an older build than the wave targets (not counted in installed, never failures)." }),
};
