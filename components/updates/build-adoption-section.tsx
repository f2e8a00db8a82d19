// The update page's adoption by build (issue #17), streamed behind its own Suspense.
import { BuildAdoptionChart } from "@/components/charts/build-adoption-chart";
import { Card } from "@/components/ui/card";
import type { BuildAdoption } from "@/lib/updates/adoption-by-build";

export async function BuildAdoptionSection({ adoption }: { adoption: Promise<BuildAdoption> }) {
  return (
    <Card title="Adoption by build">
      <BuildAdoptionChart adoption={await adoption} />
    </Card>
  );
}
