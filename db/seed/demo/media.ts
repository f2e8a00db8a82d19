// The home workers' media journeys (issue #21), planned from their deployments with no random draw:
// both CD-ROM batches posted, most of the first received (helpdesk took the callers' word), a few of
// it never confirmed (overdue), two discs returned to sender; a few of the second batch received;
// the home workers who need a technician booked at the Leeds branch.
import type { MediaStepValue } from "../../enums";
import type { Role } from "../../schema";
import type { DeploymentPlan } from "./deployments";
import { confirmsEarly, MEDIA_BATCHES } from "./deployments";
import { DAY } from "./scenario";

export type MediaStepPlan = {
  hostname: string;
  step: MediaStepValue;
  at: Date;
  batch?: string;
  reference?: string;
  office?: string;
  technician?: string;
  by: Role;
};

export const APPOINTMENT_OFFICE = "Leeds branch";
const TECHNICIANS = ["Priya Shah", "Tom Ellis"];
const APPOINTMENTS = 8;

/** The steps, in the order they were recorded. */
export function planMediaSteps(plans: readonly DeploymentPlan[], now: Date): MediaStepPlan[] {
  const T = now.getTime();
  const steps: MediaStepPlan[] = [];
  const home = plans.filter((p) => p.update === "sp2" && p.wave === 3);
  let firstBatch = 0;
  let secondBatch = 0;
  let returned = 0;
  let booked = 0;
  for (const plan of home) {
    const hostname = plan.device.hostname;
    const batch = MEDIA_BATCHES.find((b) => plan.events[0]?.message?.includes(`batch ${b.name}`));
    if (batch) {
      const postedAt = batch.shippedAt(now);
      const serial = hostname.replace(/\D/g, "").padStart(6, "0");
      steps.push({ hostname, step: "posted", at: postedAt, batch: `${batch.name} (${batch.carrier})`, reference: `RR${serial}GB`, by: "editor" });
      const after = (days: number) => new Date(postedAt.getTime() + days * DAY);
      if (batch === MEDIA_BATCHES[0]) {
        const index = firstBatch++;
        if (confirmsEarly(index)) steps.push({ hostname, step: "received", at: after(2), by: "helpdesk" });
        else if (index % 6 === 5 && returned < 2) {
          returned++;
          steps.push({ hostname, step: "returned", at: after(9), reference: "Addressee unknown", by: "editor" });
        } else if (index % 6 !== 3) steps.push({ hostname, step: "received", at: after(2 + (index % 4)), by: "helpdesk" });
      } else if (secondBatch++ % 3 === 0) {
        steps.push({ hostname, step: "received", at: after(3), by: "helpdesk" });
      }
    } else if (plan.device.channel === "technician" && plan.events.length === 0 && booked < APPOINTMENTS) {
      // Two came in last week (not installed yet: the wave has not started); the rest come over the next days.
      const at = new Date(T + (booked < 2 ? -4 : booked) * DAY);
      at.setUTCHours(9 + (booked % 4) * 2, 0, 0, 0);
      steps.push({ hostname, step: "appointment", at, office: APPOINTMENT_OFFICE, technician: TECHNICIANS[booked % 2], by: "helpdesk" });
      booked++;
    }
  }
  return steps.sort((a, b) => a.at.getTime() - b.at.getTime());
}
