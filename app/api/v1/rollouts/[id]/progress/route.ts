// GET /api/v1/rollouts/{id}/progress — waves with per-state counts, failure rate and gate status.
import { requireApiActor } from "@/lib/auth/request-actor";
import { problemFromError } from "@/lib/http/problem";
import { NO_STORE, positiveId } from "@/lib/http/json";
import { getRolloutProgress } from "@/lib/rollouts/queries";
import { readinessForRollout } from "@/lib/readiness/waves";
import { readWaveBuilds } from "@/lib/rollouts/build-mix";
import { measured } from "@/lib/metrics/measured";

export const dynamic = "force-dynamic";

export const GET = measured("/api/v1/rollouts/{id}/progress", async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await requireApiActor(request, "rollout.read");
    const { id } = await context.params;
    const rolloutId = positiveId(id, "rollout");
    const [progress, readiness, builds] = await Promise.all([getRolloutProgress(actor, rolloutId), readinessForRollout(actor, rolloutId), readWaveBuilds(actor, rolloutId)]);
    // Readiness per wave (issue #17): machines by the worst readiness cell of their apps on the wave's build.
    // Builds per wave (issue #17): the build it targets; "installed, behind" on an older one are not in installed.
    const waves = progress.waves.map((w) => {
      const b = builds.get(w.id);
      const behind = b?.behind ?? 0;
      return { ...w, readiness: readiness.get(w.id) ?? null, installed: Math.max(0, w.installed - behind), build: b?.target ?? null, behind };
    });
    return Response.json({ ...progress, waves }, { headers: NO_STORE });
  } catch (error) {
    return problemFromError(error);
  }
});
