// The readiness answers as zod schemas for the API description (lib/openapi/operations.ts); the
// contract test checks real answers against them. Objects are open: more fields may be added.
import { z } from "zod";
import { READINESS_STATUSES } from "./model";

const timestamp = z.string().meta({ format: "date-time", description: "ISO 8601 timestamp (UTC)." });
const count = z.number().int().min(0);
const status = z.enum(READINESS_STATUSES);

const entry = z.looseObject({ status, note: z.string(), knownIssue: z.string().nullable(), setBy: z.string(), setAt: timestamp });

export const ReadinessMatrixResponse = z.looseObject({
  update: z.looseObject({ slug: z.string(), title: z.string() }),
  builds: z.array(z.looseObject({ name: z.string(), version: z.string(), kind: z.string() })),
  knownIssues: z.array(z.looseObject({ advisoryId: z.string(), title: z.string() })),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  totalRows: count,
  rows: z.array(
    z.looseObject({
      app: z.string(),
      vendor: z.string(),
      versionRange: z.string().meta({ description: 'The app versions of the row ("" = every version; "1.2" = the 1.2 release line).' }),
      machines: count.meta({ description: "In-scope machines of the update that carry the app in this range." }),
      cells: z.array(
        z.looseObject({
          build: z.string(),
          status,
          note: z.string(),
          knownIssue: z.string().nullable(),
          setBy: z.string().nullable(),
          setAt: timestamp.nullable(),
          seenWorkingOnPilotMachines: count.meta({ description: "Pilot-wave machines that installed this build with the app and have no helpdesk report." }),
          history: z.array(entry),
        }),
      ),
    }),
  ),
});

export const ReadinessCellResponse = z.looseObject({
  update: z.string(),
  app: z.string(),
  versionRange: z.string(),
  build: z.string(),
  status,
  note: z.string(),
  knownIssue: z.string().nullable(),
  setBy: z.string(),
  setAt: timestamp,
  previous: entry.nullable(),
  warnings: z.array(z.string()).meta({ description: "Saved, but worth a second look (e.g. works_with_workaround without a known issue)." }),
});

export const WaveReadinessSchema = z
  .looseObject({
    build: z.string().nullable(),
    machines: count,
    broken: count,
    untested: count,
    worksWithWorkaround: count,
    works: count,
    noApps: count,
    withUntestedApps: count,
    withUntestedAppsPct: z.number().nullable(),
    maxUntestedPct: z.number().int().nullable(),
    ruleBreached: z.boolean(),
  })
  .meta({ description: "The wave's machines by the worst readiness cell of their apps on the wave's build, and its readiness rule." });
