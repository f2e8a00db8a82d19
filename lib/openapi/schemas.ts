// The JSON the /api/v1 routes answer with, as zod schemas for the API description (lib/openapi/document.ts).
// Objects are open (more fields may be added); the fields listed are always there with these types.
// The contract test (test/api/openapi-contract.test.ts) checks real answers against them.
import { z } from "zod";
import { DEPLOYMENT_STATES } from "@/lib/deployments/states";
import { KNOWN_ISSUE_STATUSES, SEVERITIES } from "@/lib/known-issues/lifecycle";
import { FIX_LINK_TYPES } from "@/lib/known-issues/validation";
import { ELIGIBILITY_REASONS } from "@/lib/rollouts/eligibility";
import { WaveReadinessSchema } from "@/lib/readiness/api-schemas";
import { WaveBuildFields } from "@/lib/rollouts/build-api-schemas";

const timestamp = z.string().meta({ format: "date-time", description: "ISO 8601 timestamp (UTC)." });
const day = z.string().meta({ description: "A calendar day, YYYY-MM-DD." });
const id = z.number().int().positive();
const count = z.number().int().min(0);
const percent = z.number().nullable().meta({ description: "Percent (0–100), null when there is nothing to divide by." });
const open = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape);
const ref = open({ slug: z.string(), title: z.string() });

export const FieldErrorSchema = open({ path: z.string(), message: z.string() });

export const ProblemSchema = open({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(FieldErrorSchema).optional().meta({ description: "One entry per invalid field or rejected row." }),
}).meta({ description: "RFC 9457 problem details (application/problem+json)." });

export const UpdateListResponse = open({
  items: z.array(
    open({
      slug: z.string(),
      title: z.string(),
      vendor: z.string(),
      product: z.string(),
      kind: z.string(),
      kb: z.string().nullable(),
      sizeBytes: z.number().nullable(),
      plannedReleaseDate: day.nullable(),
      applicableOsNames: z.array(z.string()),
      builds: z.array(open({ name: z.string(), kind: z.string() })),
      adoption: open({ installed: count, inScope: count, notApplicable: count, installedPct: percent }),
    }),
  ),
  nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last." }),
  prevCursor: z.string().nullable().meta({ description: "Pass as before for the previous page; null on the first." }),
});

export const UpdateDetailResponse = open({
  update: open({ slug: z.string(), title: z.string(), vendor: z.string(), product: z.string(), kind: z.string(), kb: z.string().nullable(), applicableOsNames: z.array(z.string()) }),
  builds: z.array(open({ id, name: z.string(), version: z.string(), kind: z.string(), releasedAt: timestamp.nullable() })),
  releaseHistory: z.array(open({ recordedAt: timestamp, plannedDate: day.nullable(), note: z.string() })),
  rollouts: z.array(open({ id, name: z.string(), status: z.string() })),
  adoption: open({ installed: count, inScope: count, notApplicable: count, failed: count, installedPct: percent }),
  byOs: z.array(z.looseObject({})),
  bySite: z.array(z.looseObject({})),
});

const breakdownRow = open({ label: z.string(), total: count });

export const UpdateAdoptionResponse = open({
  generatedAt: timestamp,
  update: ref,
  totals: z.looseObject({}),
  adoption: z.array(open({ day, installed: count, cumulative: count })),
  bySite: z.array(breakdownRow),
  byOs: z.array(breakdownRow),
  byDepartment: z.array(breakdownRow),
});

const waveRef = open({ id, name: z.string(), position: z.number().int(), status: z.string() });

export const RolloutListResponse = open({
  items: z.array(
    open({
      id,
      name: z.string(),
      status: z.string().meta({ description: "draft, active, completed or cancelled." }),
      update: ref,
      build: open({ id, name: z.string() }),
      createdAt: timestamp,
      cancelledAt: timestamp.nullable(),
      cancelReason: z.string().nullable(),
      waves: z.array(waveRef),
    }),
  ),
  nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last." }),
  prevCursor: z.string().nullable().meta({ description: "Pass as before for the previous page; null on the first." }),
});

const stateCounts = z.record(z.string(), count).meta({ description: "Devices per deployment state." });

export const RolloutProgressResponse = open({
  id,
  name: z.string(),
  status: z.string(),
  update: ref,
  build: z.string(),
  outside: open({ notApplicable: count, excluded: count }),
  silentAfterDays: z.number().int().min(1).meta({ description: "Days without a report after which a machine of a started wave is silent." }),
  waves: z.array(
    open({
      id,
      position: z.number().int(),
      name: z.string(),
      status: z.string(),
      haltReason: z.string().nullable(),
      counts: stateCounts,
      inScope: count,
      installed: count.meta({ description: "Installed on the build the wave targets (or an unknown build); installed, behind are counted apart." }),
      ...WaveBuildFields,
      attempted: count,
      failureRatePct: percent,
      successRatePct: percent,
      gate: open({ minSuccessPct: z.number(), maxFailurePct: z.number(), minAttempted: count, status: z.string(), detail: z.string(), passedAt: timestamp.nullable() }),
      blockingIssues: z.array(z.string()).meta({ description: "Advisory ids of confirmed blocking known issues." }),
      silent: count.meta({ description: "Machines of this started wave with no report for silentAfterDays (network channel, a state still expecting a report): neither success nor failure." }),
      readiness: WaveReadinessSchema.nullable(),
      plannedStart: timestamp.nullable().meta({ description: "The planned start (resolved from the release date when startOffsetDays is set)." }),
      startOffsetDays: z.number().int().nullable().meta({ description: "Days from the update's planned release date; null when the start is a date." }),
      deadline: timestamp.nullable(),
      deadlineOffsetDays: z.number().int().nullable(),
      complianceTarget: z.number().int().min(0).max(100).meta({ description: "Percent of the wave's machines in scope installed by the deadline." }),
      maxDevicesPerDay: z.number().int().positive().nullable().meta({ description: "Ramp: at most this many new machines a day (null: no ramp)." }),
      forecast: open({
        expectedCompletion: day.nullable(),
        status: z.enum(["on_track", "at_risk", "late", "done", "no_data"]),
        ratePerDay: z.number().nullable().meta({ description: "Installs per day over the last 7 days (or the ramp, before the wave starts)." }),
        targetDevices: count,
        remaining: count,
      }),
    }),
  ),
});

export const SlipRecordedResponse = open({
  update: z.string(),
  plannedDate: day,
  previous: day.nullable(),
  recordedAt: timestamp,
  movedWaveDates: z.array(
    open({ rolloutId: id, waveId: id, wave: z.string(), field: z.enum(["planned_start", "deadline"]), from: timestamp.nullable(), to: timestamp, days: z.number().int() }),
  ),
});

export const RolloutDashboardResponse = open({
  generatedAt: timestamp,
  rollout: open({ id, name: z.string(), status: z.string(), update: ref }),
  waves: z.array(open({ waveId: id, name: z.string(), position: z.number().int(), status: z.string(), total: count })),
  rates: z.array(open({ waveId: id, name: z.string(), status: z.string(), attempted: count, failureRatePct: percent })),
  topErrorCodes: z.array(open({ errorCode: z.string(), devices: count, failed: count, rolledBack: count, message: z.string().nullable() })),
  alerts: z.array(open({ alert: z.string(), devices: count, remedy: z.string() })),
  filterOptions: open({ waves: z.array(open({ id, name: z.string() })), sites: z.array(z.string()), osNames: z.array(z.string()) }),
});

const previewShape = {
  update: open({ id, slug: z.string(), title: z.string(), sizeBytes: z.number().nullable(), applicableOsNames: z.array(z.string()) }),
  build: open({ id, name: z.string() }),
  total: count,
  notApplicable: count,
  notApplicableByOs: z.array(open({ osName: z.string(), devices: count })),
  excluded: count,
  waves: z.array(
    open({
      index: z.number().int(),
      name: z.string(),
      started: z.boolean(),
      devices: count,
      held: count,
      network: count,
      offline: count,
      maxDevicesPerDay: z.number().int().nullable(),
      rampDays: z.number().int().nullable(),
      sites: z.array(
        open({
          siteId: id,
          name: z.string(),
          devices: count,
          downloadBytes: z.number(),
          distributionPoint: z.string().nullable(),
          wanBytes: z.number(),
          linkKbps: z.number().nullable(),
          transferSeconds: z.number().nullable(),
          saturates: z.boolean(),
        }),
      ),
      warnings: z.array(z.string()),
    }),
  ),
};

export const PlanPreviewResponse = open(previewShape);

export const RolloutCreatedResponse = open({ rolloutId: id, preview: PlanPreviewResponse });

export const RolloutCancelledResponse = open({
  id,
  name: z.string(),
  status: z.literal("cancelled"),
  cancelledAt: timestamp,
  cancelReason: z.string(),
  haltedWaves: z.array(id).meta({ description: "The waves that were running and are now halted." }),
});

export const WaveBlockingIssuesResponse = open({
  waveId: id,
  status: z.string(),
  blockingIssues: z.array(open({ advisoryId: z.string(), title: z.string(), status: z.string() })),
  halted: z.boolean().meta({ description: "True when a listed confirmed issue halted the running wave." }),
  issueFlags: z.array(open({ advisoryId: z.string(), blocking: z.boolean() })).meta({ description: "Issues whose own blocking flag changed (on when first set on a wave, off when taken off its last one)." }),
});

export const WaveActionResponse = open({
  id,
  name: z.string(),
  position: z.number().int(),
  status: z.string(),
  startedAt: timestamp.nullable(),
  haltedAt: timestamp.nullable(),
  haltReason: z.string().nullable(),
  completedAt: timestamp.nullable(),
});

const deviceFields = {
  hostname: z.string(),
  os: z.string(),
  osVersion: z.string(),
  site: z.string(),
  department: z.string().nullable(),
  channel: z.string(),
  tags: z.array(z.string()),
  lastSeenAt: timestamp.nullable(),
  lastReportedAt: timestamp.nullable(),
};

export const DeviceListResponse = open({
  items: z.array(open({ ...deviceFields, state: z.enum(DEPLOYMENT_STATES).nullable().optional() })),
  nextCursor: z.string().nullable().meta({ description: "Pass as ?cursor= for the next page; null on the last page." }),
});

export const DeviceDetailResponse = open({
  device: open({ ...deviceFields, createdAt: timestamp, apps: z.array(open({ name: z.string(), version: z.string() })) }),
  deployments: z.array(
    open({
      update: z.string(),
      state: z.enum(DEPLOYMENT_STATES),
      build: open({ name: z.string(), version: z.string() }).nullable().meta({ description: "The build installed or being installed (the build of the report that set the state); null: not known." }),
      targetBuild: z.string().nullable().meta({ description: "The build the deployment's wave targets (else its rollout's); null outside a rollout." }),
      behind: z.boolean().meta({ description: "Installed, behind: installed an older build than its wave targets (never a failure, never done)." }),
    }),
  ),
});

export const EligibilityResponse = open({
  eligible: z.boolean(),
  reason: z.enum(ELIGIBILITY_REASONS).nullable().meta({
    description:
      "Why not; null when the device may install now. update_paused: the update's emergency pause; wave_throttled: beyond the wave's ramp of N new machines a day (`detail` says from when).",
  }),
  wave: waveRef.nullable(),
  build: open({ name: z.string(), version: z.string() }).nullable().meta({ description: "The build to install: the wave's target, else the rollout's; null outside every wave." }),
  behind: z.boolean().optional().meta({ description: "True when the machine installed an older build than its wave targets: it is offered the newer one." }),
  heldBy: open({ advisoryId: z.string(), title: z.string() }).nullable().optional(),
  detail: z.string(),
});

export const UpdatePausedResponse = open({
  update: z.string(),
  paused: z.literal(true),
  pausedAt: timestamp,
  reason: z.string(),
  until: timestamp.nullable().meta({ description: "The pause ends by itself then; null: until resumed." }),
  by: z.string().nullable(),
});

export const UpdateResumedResponse = open({ update: z.string(), paused: z.literal(false), wasPausedAt: timestamp, reason: z.string() });

const rejectedRow = open({ index: z.number().int().min(0), errors: z.array(FieldErrorSchema) });

export const DeviceImportResponse = open({
  dryRun: z.boolean(),
  received: count,
  accepted: count,
  created: count,
  updated: count,
  rejected: z.array(open({ index: z.number().int().min(0), line: z.number().int().optional(), hostname: z.string().optional(), errors: z.array(FieldErrorSchema) })),
  rolloutsReevaluated: count,
});

export const MediaStepsResponse = open({
  dryRun: z.boolean(),
  received: count,
  accepted: count,
  rejected: z.array(open({ index: z.number().int().min(0), hostname: z.string(), errors: z.array(FieldErrorSchema) })),
});

export const IngestResponse = open({
  accepted: count.meta({ description: "Stored and applied." }),
  duplicates: count.meta({ description: "An eventId this token already sent; nothing changed." }),
  stale: count.meta({ description: "Stored in history, older than the current state, not applied." }),
  rejected: z.array(rejectedRow),
});

const knownIssueCommon = {
  id: z.string().meta({ description: "The advisory id, e.g. RC-0001." }),
  advisoryId: z.string(),
  title: z.string(),
  status: z.enum(KNOWN_ISSUE_STATUSES),
  severity: z.enum(SEVERITIES),
  safeguardHold: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  resolvedAt: timestamp.nullable(),
};

export const KnownIssueListResponse = open({
  items: z.array(open({ ...knownIssueCommon, update: ref, affectedApps: z.array(open({ name: z.string(), versionRange: z.string() })), reportCount: count })),
  total: count,
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  nextPage: z.string().nullable().meta({ description: "The URL of the next page; null on the last page." }),
});

export const KnownIssueResponse = open({
  ...knownIssueCommon,
  update: open({ slug: z.string(), title: z.string(), kb: z.string().nullable() }),
  affectedPlatforms: z.array(z.string()),
  affectedApps: z.array(open({ name: z.string(), versionRange: z.string(), known: z.boolean() })),
  symptoms: z.string(),
  workaround: z.string(),
  resolution: z.string(),
  blocking: z.boolean(),
  heldDevices: count,
  fixLinks: z.array(open({ id, vendor: z.string(), title: z.string(), url: z.string(), type: z.enum(FIX_LINK_TYPES), publishedAt: timestamp.nullable() })),
  history: z.array(open({ id, at: timestamp, actor: z.string(), field: z.string(), from: z.string().nullable(), to: z.string().nullable(), note: z.string() })),
  reports: open({ total: count, items: z.array(open({ id, ticketRef: z.string(), hostname: z.string().nullable(), note: z.string(), createdAt: timestamp })) }),
});

export const KnownIssueChangedResponse = KnownIssueResponse.extend({ changed: z.array(z.string()).meta({ description: "The fields this change touched." }) });

export const TicketReportResponse = open({
  id,
  advisoryId: z.string(),
  ticket: z.string(),
  ticketRef: z.string().meta({ description: "The same as ticket (the web form's name)." }),
  hostname: z.string(),
  note: z.string(),
  createdAt: timestamp,
});

const waveImpact = open({ waveId: id, position: z.number().int(), name: z.string(), status: z.string(), plannedStartAt: timestamp.nullable(), devices: count, affected: count, held: count });

export const ImpactResponse = z.union([
  open({
    advisoryId: z.string(),
    title: z.string(),
    status: z.enum(KNOWN_ISSUE_STATUSES),
    inventoryAffected: count,
    rollouts: z.array(open({ id, name: z.string(), status: z.string(), waves: z.array(waveImpact), unassigned: count })),
  }).meta({ title: "Impact per wave (without ?wave=)" }),
  open({ items: z.array(z.looseObject({})), nextCursor: z.string().nullable() }).meta({ title: "Affected hostnames of one wave (?wave=ID)" }),
]);

export const SearchResponse = open({
  query: z.string(),
  total: count,
  groups: z.array(
    open({
      kind: z.string(),
      label: z.string(),
      more: z.boolean(),
      items: z.array(open({ kind: z.string(), key: z.string(), title: z.string(), subtitle: z.string(), href: z.string(), score: z.number() })),
    }),
  ),
});

export const OverviewResponse = open({
  generatedAt: timestamp,
  updates: z.array(open({ slug: z.string(), title: z.string(), totals: z.looseObject({}) })),
  rollouts: z.array(z.looseObject({})),
  haltedWaves: z.array(z.looseObject({})),
  deadlineRisks: z.array(z.looseObject({})).meta({ description: "Waves whose deadline forecast is at_risk or late, with their rollout." }),
  knownIssuesByStatus: z.record(z.string(), count),
});

const webhookFormat = z.enum(["json", "slack", "teams"]);

export const WebhookListResponse = open({
  items: z.array(open({ id, url: z.string().meta({ description: "Shortened: the path is cut so a token in it is not shown." }), events: z.array(z.string()), format: webhookFormat, createdAt: timestamp, pending: count, delivered: count, dead: count })),
});

export const WebhookCreatedResponse = open({
  id,
  url: z.string(),
  events: z.array(z.string()),
  format: webhookFormat,
  secret: z.string().meta({ description: "The signing secret, shown this once." }),
});

export const WebhookDeliveryListResponse = open({
  items: z.array(
    open({
      id,
      eventId: id,
      eventType: z.string(),
      occurredAt: timestamp,
      status: z.enum(["pending", "delivered", "dead"]),
      attempts: count,
      lastAttemptAt: timestamp.nullable(),
      lastStatusCode: z.number().int().nullable(),
      lastLatencyMs: z.number().nullable(),
      lastResponse: z.string().nullable().meta({ description: "The start of the receiver's last answer." }),
      nextAttemptAt: timestamp.nullable(),
      deliveredAt: timestamp.nullable(),
      deadAt: timestamp.nullable(),
    }),
  ),
});

export const RedeliveryResponse = open({ id, eventId: id, status: z.enum(["pending", "delivered", "dead"]) });
