// Every /api/v1 operation, described once from the zod schemas its route validates with (requests)
// and lib/openapi/schemas.ts (answers). test/api/openapi-contract.test.ts fails when a route under
// app/api/v1 has no entry here, and checks each documented answer against its schema.
import { z } from "zod";
import type { Action } from "@/lib/auth/permissions";
import { StatusEventInput } from "@/lib/deployments/ingest-model";
import { DevicesCsvFilter } from "@/lib/dashboards/devices-csv";
import { DeviceRow } from "@/lib/devices/import";
import { DeviceFilter } from "@/lib/devices/queries";
import { CreateKnownIssueInput, ImpactQuery, KnownIssueFilters, TicketReportBody, UpdateKnownIssueInput } from "@/lib/known-issues/validation";
import { EligibilityInput } from "@/lib/rollouts/eligibility";
import { PauseInput } from "@/lib/updates/pause";
import { WaveActionInput } from "@/lib/rollouts/lifecycle";
import { WaveBlockingIssuesInput } from "@/lib/rollouts/blocking-issues";
import { RolloutListQuery } from "@/lib/rollouts/list-page";
import { CancelRolloutInput } from "@/lib/rollouts/cancel";
import { PageQuery } from "@/lib/http/keyset-page";
import { PromotionResponse } from "@/lib/rollouts/build-api-schemas";
import { PromoteInput } from "@/lib/rollouts/promote";
import { MediaListFilter, MediaStepsInput } from "@/lib/rollouts/media";
import { PlanInput } from "@/lib/rollouts/plan-calendar";
import { CreateWebhookInput } from "@/lib/outbox/webhooks";
import { SlipInput } from "@/lib/updates/catalog";
import { ReadinessCellBody } from "@/lib/readiness/cells";
import { ReadinessCellResponse, ReadinessMatrixResponse } from "@/lib/readiness/api-schemas";
import { MatrixQuery } from "@/lib/readiness/model";
import * as answers from "./schemas";

export type HttpMethod = "get" | "post" | "patch" | "put" | "delete";

export type ApiOperation = {
  method: HttpMethod;
  /** OpenAPI path, e.g. /api/v1/devices/{hostname}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The permission the route asks for (lib/auth/permissions.ts), or public. */
  access: Action | "public";
  /** Path parameters' descriptions (each {name} in the path is a required string). */
  pathParams?: Record<string, string>;
  query?: z.ZodObject;
  /** `notInBody`: fields of a refined schema (which zod cannot omit) that the route takes from the address instead. */
  body?: { schema: z.ZodType; description?: string; csv?: string; ndjson?: boolean; notInBody?: string[] };
  success: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /** Problem answers besides 401/403 (added for every non-public operation) and 500/503; `withBody` builds a body's. */
  problems: ProblemStatus[];
};

export type ProblemStatus = 400 | 404 | 409 | 413 | 415 | 422;

/**
 * The problem answers of an operation that reads a body: malformed (400), another media type (415), fields
 * its schema refuses (422, errors[] per field) unless `fields: false`, and the operation's own.
 */
function withBody(own: ProblemStatus[], { fields = true } = {}): ProblemStatus[] {
  const statuses: ProblemStatus[] = [400, 415, ...(fields ? [422 as const] : []), ...own];
  return [...new Set(statuses)].sort((a, b) => a - b);
}

const hostnameParam = { hostname: "The device's hostname (any case)." };
const issueParam = { id: "The advisory id, e.g. RC-0001 (any case)." };
const rolloutParam = { id: "The rollout's numeric id." };
const slugParam = { slug: "The update's slug, e.g. windows-xp-sp2." };

export const API_OPERATIONS: ApiOperation[] = [
  {
    method: "get",
    path: "/api/v1/openapi.json",
    tag: "Meta",
    summary: "This API description (OpenAPI 3.1)",
    access: "public",
    success: { status: 200, description: "The OpenAPI document.", schema: z.looseObject({ openapi: z.string(), paths: z.looseObject({}) }) },
    problems: [],
  },
  {
    method: "get",
    path: "/api/v1/overview",
    tag: "Dashboards",
    summary: "The overview's numbers (updates in flight, rollouts, halted waves, known issues by status)",
    access: "dashboard.read",
    success: { status: 200, description: "The overview.", schema: answers.OverviewResponse },
    problems: [],
  },
  {
    method: "get",
    path: "/api/v1/updates",
    tag: "Updates",
    summary: "The update catalog with builds, planned release date and adoption",
    access: "update.read",
    query: PageQuery,
    success: { status: 200, description: "At most 100 updates, newest first; nextCursor / prevCursor page on (null at either end).", schema: answers.UpdateListResponse },
    problems: [],
  },
  {
    method: "get",
    path: "/api/v1/updates/{slug}",
    tag: "Updates",
    summary: "One update: builds, release-date history, rollouts, adoption by OS and site",
    access: "update.read",
    pathParams: slugParam,
    success: { status: 200, description: "The update.", schema: answers.UpdateDetailResponse },
    problems: [404],
  },
  {
    method: "post",
    path: "/api/v1/updates/{slug}/slips",
    tag: "Updates",
    summary: "Record a slip of the planned release date; waves dated from the release move with it",
    description: "The new date comes after the previous one. Every offset date (start or deadline) of the update's waves that have not started moves by the slip; each move is audited and shown on the rollout page.",
    access: "update.write",
    pathParams: slugParam,
    body: { schema: SlipInput },
    success: { status: 201, description: "Recorded, with the wave dates it moved.", schema: answers.SlipRecordedResponse },
    problems: withBody([404]),
  },
  {
    method: "post",
    path: "/api/v1/updates/{slug}/pause",
    tag: "Updates",
    summary: "Emergency pause: no wave of the update offers it until resumed or until `until`",
    description:
      "Eligibility answers `update_paused` for every machine in a wave of the update; every signed-in page shows a banner. Pausing a paused update replaces its reason and end. `until` in the past is a 422. Audited; emits `update.paused`.",
    access: "update.write",
    pathParams: slugParam,
    body: { schema: PauseInput.omit({ update: true }) },
    success: { status: 200, description: "The pause.", schema: answers.UpdatePausedResponse },
    problems: withBody([404, 413]),
  },
  {
    method: "post",
    path: "/api/v1/updates/{slug}/resume",
    tag: "Updates",
    summary: "End the update's emergency pause now",
    description: "409 when the update is not paused (a pause whose `until` passed has already ended). Audited; emits `update.resumed`.",
    access: "update.write",
    pathParams: slugParam,
    success: { status: 200, description: "Resumed.", schema: answers.UpdateResumedResponse },
    problems: [404, 409],
  },
  {
    method: "get",
    path: "/api/v1/updates/{slug}/readiness",
    tag: "Updates",
    summary: "The readiness matrix: business apps on the update's machines × its builds, what the pilot proved",
    description: "Rows: each app found on the update's in-scope machines per release line (or per version range a cell was recorded for), most machines first, `pageSize` (≤ 100) a page. Cells: the newest entry with note, who, when and its history; beside untested, pilot machines seen working.",
    access: "update.read",
    pathParams: slugParam,
    query: MatrixQuery,
    success: { status: 200, description: "One page of the matrix.", schema: ReadinessMatrixResponse },
    problems: [400, 404],
  },
  {
    method: "put",
    path: "/api/v1/updates/{slug}/readiness",
    tag: "Updates",
    summary: "Mark one readiness cell: an app's versions on a build (untested, works, works_with_workaround, broken)",
    description: "The app by its inventory name, the build by name or version (any case). `broken` must name a known issue; `works_with_workaround` should (a warning otherwise). Every change is kept and audited.",
    access: "update.write",
    pathParams: slugParam,
    body: { schema: ReadinessCellBody },
    success: { status: 200, description: "The cell as saved, with what it replaced.", schema: ReadinessCellResponse },
    problems: withBody([404]),
  },
  {
    method: "get",
    path: "/api/v1/updates/{slug}/adoption",
    tag: "Dashboards",
    summary: "Adoption by day and per-state counts by site, OS and department (the update page's charts)",
    access: "dashboard.read",
    pathParams: slugParam,
    success: { status: 200, description: "The charts' data.", schema: answers.UpdateAdoptionResponse },
    problems: [404],
  },
  {
    method: "get",
    path: "/api/v1/rollouts",
    tag: "Rollouts",
    summary: "Rollouts with their waves' names, order and status",
    access: "rollout.read",
    query: RolloutListQuery,
    success: { status: 200, description: "At most 100 rollouts, newest first; nextCursor / prevCursor page on (null at either end).", schema: answers.RolloutListResponse },
    problems: [],
  },
  {
    method: "post",
    path: "/api/v1/rollouts/preview",
    tag: "Rollouts",
    summary: "What a plan would do (devices per wave, not applicable, download volume per site) without saving it",
    access: "rollout.write",
    description: "Also needs device.read (a token: scope manage, which includes read). A plan with problems answers 422 with errors[] and the preview.",
    body: { schema: PlanInput.omit({ rolloutId: true }) },
    success: { status: 200, description: "The preview.", schema: answers.PlanPreviewResponse },
    problems: withBody([404]),
  },
  {
    method: "post",
    path: "/api/v1/rollouts",
    tag: "Rollouts",
    summary: "Create a rollout plan (the same rules as the planner)",
    access: "rollout.write",
    body: { schema: PlanInput.omit({ rolloutId: true }), description: "The build, the rollout's name and its waves in order, each with its targeting and gate." },
    success: { status: 201, description: "Created; Location names its progress.", schema: answers.RolloutCreatedResponse },
    problems: withBody([404, 409]),
  },
  {
    method: "get",
    path: "/api/v1/rollouts/{id}/progress",
    tag: "Rollouts",
    summary: "Waves with per-state counts, failure rate and gate status",
    access: "rollout.read",
    pathParams: rolloutParam,
    success: { status: 200, description: "The rollout's progress.", schema: answers.RolloutProgressResponse },
    problems: [404],
  },
  {
    method: "get",
    path: "/api/v1/rollouts/{id}/dashboard",
    tag: "Dashboards",
    summary: "The rollout page's charts: per-wave state bars, failure and rollback rates against each gate, top error codes, alerts",
    access: "rollout.read",
    pathParams: rolloutParam,
    success: { status: 200, description: "The charts' data.", schema: answers.RolloutDashboardResponse },
    problems: [404],
  },
  {
    method: "get",
    path: "/api/v1/rollouts/{id}/devices.csv",
    tag: "Rollouts",
    summary: "The rollout's devices with their deployment as streaming CSV",
    access: "rollout.read",
    pathParams: rolloutParam,
    query: DevicesCsvFilter,
    success: { status: 200, description: "CSV with a header row (attachment).", contentType: "text/csv" },
    problems: [400, 404],
  },
  {
    method: "post",
    path: "/api/v1/rollouts/{id}/waves/{waveId}/actions",
    tag: "Rollouts",
    summary: "Start, pause, resume, halt or complete a wave (the same rules as the rollout page)",
    description: "Waves start in order; starting before the previous wave's gate passed needs a written reason.",
    access: "wave.action",
    pathParams: { ...rolloutParam, waveId: "The wave's numeric id." },
    body: { schema: WaveActionInput.omit({ rolloutId: true, waveId: true }) },
    success: { status: 200, description: "The wave after the action.", schema: answers.WaveActionResponse },
    problems: withBody([404, 409]),
  },
  {
    method: "post",
    path: "/api/v1/rollouts/{id}/cancel",
    tag: "Rollouts",
    summary: "Cancel a rollout with a reason",
    description: "Its running waves halt with the reason, no machine is offered the update any more (eligibility not_in_rollout), the plan can no longer change, and the update may get a new rollout. A completed or already cancelled rollout is a 409.",
    access: "rollout.write",
    pathParams: rolloutParam,
    body: { schema: CancelRolloutInput.omit({ rolloutId: true }) },
    success: { status: 200, description: "The rollout, cancelled.", schema: answers.RolloutCancelledResponse },
    problems: withBody([404, 409]),
  },
  {
    method: "put",
    path: "/api/v1/rollouts/{id}/waves/{waveId}/blocking-issues",
    tag: "Rollouts",
    summary: "Set the known issues that block a wave",
    description:
      "The list replaces the wave's blocking issues; other waves stay blocked as they were. A listed issue blocks while it is confirmed (the wave may not start; a running wave halts). Each unknown advisory id, or an issue of another update, is a 422 error at its place in the list.",
    access: "rollout.write",
    pathParams: { ...rolloutParam, waveId: "The wave's numeric id." },
    body: { schema: WaveBlockingIssuesInput.omit({ rolloutId: true, waveId: true }) },
    success: { status: 200, description: "The wave's blocking issues now.", schema: answers.WaveBlockingIssuesResponse },
    problems: withBody([404, 409]),
  },
  {
    method: "post",
    path: "/api/v1/rollouts/{id}/promote",
    tag: "Rollouts",
    summary: "Promote the rollout to a newer build: every wave that is not completed moves to it",
    description:
      "`build` is the build's name or version (case-insensitive). A build is newer when it was added later; an older, equal or unknown build is a 422 and nothing changes. Machines that installed an older build than their wave now targets are 'installed, behind'.",
    access: "rollout.write",
    pathParams: rolloutParam,
    body: { schema: PromoteInput.omit({ rolloutId: true }) },
    success: { status: 200, description: "The promotion: the builds before and after and the waves moved.", schema: PromotionResponse },
    problems: withBody([404, 409]),
  },
  {
    method: "post",
    path: "/api/v1/rollouts/{id}/media",
    tag: "Rollouts",
    summary: "Record one offline-media step (posted, received, appointment …) for many machines at once",
    description: "Answers per hostname like the device import; `?dryRun=true` writes nothing. Helpdesk may record received and appointments only.",
    access: "media.record",
    pathParams: rolloutParam,
    query: z.object({ dryRun: z.enum(["true", "false", "1", "0"]).optional().meta({ description: "true: check every hostname, write nothing." }) }),
    body: { schema: MediaStepsInput, notInBody: ["rolloutId", "dryRun"] },
    success: { status: 200, description: "Hostnames accepted and rejected.", schema: answers.MediaStepsResponse },
    problems: withBody([404]),
  },
  {
    method: "get",
    path: "/api/v1/rollouts/{id}/media.csv",
    tag: "Rollouts",
    summary: "The rollout's offline machines with their media journey step as CSV (`?step=to_send`: the mailing list)",
    access: "rollout.read",
    pathParams: rolloutParam,
    query: MediaListFilter.omit({ page: true }),
    success: { status: 200, description: "CSV with a header row (attachment).", contentType: "text/csv" },
    problems: [400, 404],
  },
  {
    method: "get",
    path: "/api/v1/devices",
    tag: "Devices",
    summary: "Devices, filtered, ≤ 100 per page",
    access: "device.read",
    query: DeviceFilter,
    success: { status: 200, description: "A page of devices and the cursor of the next one.", schema: answers.DeviceListResponse },
    problems: [],
  },
  {
    method: "post",
    path: "/api/v1/devices",
    tag: "Devices",
    summary: "Upsert devices by hostname (inventory import)",
    description: "A JSON array, or text/csv with the same columns (tags and apps `;`-separated, apps as `name@version`). `?dryRun=true` checks without writing. Bad rows are answered in rejected[]; good rows are stored.",
    access: "inventory.write",
    query: z.object({ dryRun: z.enum(["true", "false", "1", "0"]).optional().meta({ description: "true: check every row, write nothing." }) }),
    body: { schema: z.array(DeviceRow), csv: "hostname,os,osVersion,site,department,channel,tags,apps" },
    success: { status: 200, description: "Rows accepted, created, updated and rejected.", schema: answers.DeviceImportResponse },
    // Rows are checked one by one and answered in rejected[], never as a 422.
    problems: withBody([413], { fields: false }),
  },
  {
    method: "get",
    path: "/api/v1/devices/{hostname}",
    tag: "Devices",
    summary: "One device (the upload's field names), its deployments, recent events and matching known issues",
    access: "device.read",
    pathParams: hostnameParam,
    success: { status: 200, description: "The device.", schema: answers.DeviceDetailResponse },
    problems: [404],
  },
  {
    method: "get",
    path: "/api/v1/devices/{hostname}/eligibility",
    tag: "Devices",
    summary: "May this machine install the update now?",
    access: "device.read",
    pathParams: hostnameParam,
    query: EligibilityInput.pick({ update: true }),
    success: { status: 200, description: "Eligible, or the reason not.", schema: answers.EligibilityResponse },
    problems: [404, 422],
  },
  {
    method: "post",
    path: "/api/v1/status-events",
    tag: "Deployment status",
    summary: "Report deployment status events (≤ 10,000 per request)",
    description: "A JSON array or NDJSON. Every event lands in exactly one of accepted, duplicates, stale or rejected; answered after commit. `Idempotency-Key` replays the stored answer.",
    access: "events.ingest",
    body: { schema: z.array(StatusEventInput), ndjson: true },
    success: { status: 200, description: "The four buckets.", schema: answers.IngestResponse },
    problems: withBody([409, 413]),
  },
  {
    method: "get",
    path: "/api/v1/known-issues",
    tag: "Known issues",
    summary: "Known issues with filters (status and severity take comma-separated lists)",
    access: "known_issue.read",
    query: KnownIssueFilters,
    success: { status: 200, description: "A page of issues.", schema: answers.KnownIssueListResponse },
    problems: [400],
  },
  {
    method: "post",
    path: "/api/v1/known-issues",
    tag: "Known issues",
    summary: "Create a known issue",
    description: "Also needs known_issue.read (the answer is the stored issue).",
    access: "known_issue.write",
    body: { schema: CreateKnownIssueInput },
    success: { status: 201, description: "Created; Location names it.", schema: answers.KnownIssueResponse },
    problems: withBody([404]),
  },
  {
    method: "get",
    path: "/api/v1/known-issues/{id}",
    tag: "Known issues",
    summary: "One known issue with its fix links, history and helpdesk reports",
    access: "known_issue.read",
    pathParams: issueParam,
    success: { status: 200, description: "The issue.", schema: answers.KnownIssueResponse },
    problems: [404],
  },
  {
    method: "patch",
    path: "/api/v1/known-issues/{id}",
    tag: "Known issues",
    summary: "Change a known issue: fields, a status transition with a note, the safeguard hold",
    description: "Lists (affectedApps, fixLinks, affectedPlatforms) replace the stored ones. Also needs known_issue.read.",
    access: "known_issue.write",
    pathParams: issueParam,
    body: { schema: UpdateKnownIssueInput },
    success: { status: 200, description: "The issue after the change, and which fields changed.", schema: answers.KnownIssueChangedResponse },
    problems: withBody([404, 409]),
  },
  {
    method: "post",
    path: "/api/v1/known-issues/{id}/reports",
    tag: "Known issues",
    summary: "Link a helpdesk ticket and a machine to a known issue (ticketing systems: token scope report)",
    access: "helpdesk_report.create",
    pathParams: issueParam,
    body: { schema: TicketReportBody },
    success: { status: 201, description: "The report as stored.", schema: answers.TicketReportResponse },
    problems: withBody([404]),
  },
  {
    method: "get",
    path: "/api/v1/known-issues/{id}/impact",
    tag: "Known issues",
    summary: "Impact per wave of the update's rollouts, or (with ?wave=) a page of the affected hostnames",
    access: "known_issue.read",
    pathParams: issueParam,
    query: ImpactQuery,
    success: { status: 200, description: "Impact per wave, or one wave's affected hostnames.", schema: answers.ImpactResponse },
    problems: [400, 404],
  },
  {
    method: "get",
    path: "/api/v1/search",
    tag: "Search",
    summary: "The one box: hostnames, apps, error codes, KB numbers, advisory ids and words, grouped by kind",
    access: "search.read",
    query: z.object({ q: z.string().max(400).meta({ description: "What to look for." }) }),
    success: { status: 200, description: "Groups, best first, ≤ 10 items each.", schema: answers.SearchResponse },
    problems: [400],
  },
  {
    method: "get",
    path: "/api/v1/webhooks",
    tag: "Webhooks",
    summary: "The webhooks with their delivery counts (never their secrets)",
    access: "webhook.manage",
    success: { status: 200, description: "Every webhook.", schema: answers.WebhookListResponse },
    problems: [],
  },
  {
    method: "post",
    path: "/api/v1/webhooks",
    tag: "Webhooks",
    summary: "Add a webhook: where to POST which events, in which format",
    description:
      "A `json` delivery is `POST url` with `{id, type, occurredAt, data, link}` and the headers Rollcall-Event, Rollcall-Delivery (the event id, for de-duplication) and `Rollcall-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" with the secret>`; `slack` and `teams` post their incoming-webhook message formats. 2xx is delivered; anything else is retried with backoff for 24 h.",
    access: "webhook.manage",
    body: { schema: CreateWebhookInput },
    success: { status: 201, description: "Created; the secret is shown this once.", schema: answers.WebhookCreatedResponse },
    problems: withBody([]),
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries",
    tag: "Webhooks",
    summary: "The webhook's delivery log, newest first: status, attempts, last status code, latency and response excerpt",
    access: "webhook.manage",
    pathParams: { id: "The webhook's numeric id." },
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    success: { status: 200, description: "The deliveries.", schema: answers.WebhookDeliveryListResponse },
    problems: [404, 422],
  },
  {
    method: "post",
    path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
    tag: "Webhooks",
    summary: "Send a delivery again now, with a fresh 24-hour retry window",
    access: "webhook.manage",
    pathParams: { id: "The webhook's numeric id.", deliveryId: "The delivery's numeric id." },
    success: { status: 202, description: "Queued.", schema: answers.RedeliveryResponse },
    problems: [404, 409],
  },
  {
    method: "delete",
    path: "/api/v1/webhooks/{id}",
    tag: "Webhooks",
    summary: "Remove a webhook and its delivery log",
    access: "webhook.manage",
    pathParams: { id: "The webhook's numeric id." },
    success: { status: 204, description: "Removed." },
    problems: [404],
  },
];
