// The rules of an offline machine's media journey (issue #21), with no database: which step may be
// recorded after which, and where a set of recorded steps leaves the machine. A journey is at the
// recorded step with the latest date (ties: the later recording), unless the machine installed the
// update, which ends it whatever was recorded. So reports may arrive in any order and still leave the
// machine where the dates say it is (media-journey.test.ts checks that as a property).
import type { MediaJourneyStep, MediaStepValue } from "@/db/enums";

export { MEDIA_JOURNEY_STEPS, MEDIA_STEPS, type MediaJourneyStep, type MediaStepValue } from "@/db/enums";

/** One recorded step: when it happened, and `seq` the order it was recorded in (the row id). */
export type MediaReport = { step: MediaStepValue; at: Date; seq: number };

/** Where a machine is: its step and the report that put it there (none for to_send and installed). */
export type Journey = { step: MediaJourneyStep; at: Date | null; seq: number | null };

export const TO_SEND: Journey = { step: "to_send", at: null, seq: null };

export const STEP_LABELS: Record<MediaJourneyStep, string> = {
  to_send: "To send",
  posted: "Posted",
  appointment: "Appointment booked",
  received: "Received",
  installed: "Installed",
  returned: "Returned",
  lost: "Lost",
};

/** The steps a recorded step may follow: a disc is received after it was posted, returned or lost once it was out. */
export const ALLOWED_AFTER: Record<MediaStepValue, readonly MediaJourneyStep[]> = {
  posted: ["to_send", "posted", "appointment", "returned", "lost"],
  received: ["posted"],
  appointment: ["to_send", "posted", "appointment", "received", "returned", "lost"],
  returned: ["posted", "received"],
  lost: ["posted"],
};

/** The steps helpdesk may record (a caller says the disc arrived, or books a visit); editors record every step. */
export const HELPDESK_STEPS: readonly MediaStepValue[] = ["received", "appointment"];

const DAY_MS = 86_400_000;
/** A date-only value is midnight UTC: allow for the time zones ahead of UTC before calling it "future". */
const FUTURE_SLACK_MS = 14 * 3_600_000;
/** An appointment is booked ahead, at most this far. */
const APPOINTMENT_HORIZON_DAYS = 366;

function isLater(report: MediaReport, journey: Journey): boolean {
  if (journey.at === null || journey.seq === null) return true;
  const dt = report.at.getTime() - journey.at.getTime();
  return dt > 0 || (dt === 0 && report.seq > journey.seq);
}

/** The journey after one more report, whatever order the reports come in. */
export function applyReport(journey: Journey, report: MediaReport): Journey {
  if (journey.step === "installed") return journey;
  return isLater(report, journey) ? { step: report.step, at: report.at, seq: report.seq } : journey;
}

/** Where the reports leave a machine; `installed` (its deployment is installed) ends the journey. */
export function journeyOf(reports: readonly MediaReport[], installed = false): Journey {
  if (installed) return { step: "installed", at: null, seq: null };
  return reports.reduce(applyReport, TO_SEND);
}

/**
 * Why `step` on `date` may not be recorded for a machine at `current` (null: it may). Out-of-order
 * steps (received before posted), dates before the current step's, and dates in the future (except
 * an appointment, which is booked ahead) are refused.
 */
export function refusal(current: Journey, step: MediaStepValue, date: Date, now: Date): string | null {
  if (step === "appointment") {
    if (date.getTime() > now.getTime() + APPOINTMENT_HORIZON_DAYS * DAY_MS) return "The appointment is more than a year ahead.";
  } else if (date.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    return `The date is in the future: record "${STEP_LABELS[step].toLowerCase()}" once it happened.`;
  }
  if (current.step === "installed") return "The machine has already installed the update; its journey is over.";
  if (!ALLOWED_AFTER[step].includes(current.step)) {
    const needs = ALLOWED_AFTER[step].map((s) => STEP_LABELS[s].toLowerCase()).join(" or ");
    return `Out of order: "${STEP_LABELS[step].toLowerCase()}" follows ${needs}, and the machine is at "${STEP_LABELS[current.step].toLowerCase()}".`;
  }
  if (current.at && date.getTime() < current.at.getTime()) {
    return `The date is before the machine's current step (${STEP_LABELS[current.step].toLowerCase()} on ${current.at.toISOString().slice(0, 10)}).`;
  }
  return null;
}

/** Posted or booked more than `overdueDays` ago and not installed since. */
export function isOverdue(journey: Journey, overdueDays: number, now: Date): boolean {
  return (journey.step === "posted" || journey.step === "appointment") && journey.at !== null && journey.at.getTime() < now.getTime() - overdueDays * DAY_MS;
}
