// GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from lib/openapi/operations.ts with
// zod's own JSON Schema output (draft 2020-12, the dialect OpenAPI 3.1 uses), so a schema is written once.
import { z } from "zod";
import { PERMISSIONS, type Action } from "@/lib/auth/permissions";
import { API_OPERATIONS, type ApiOperation } from "./operations";
import { ProblemSchema } from "./schemas";

type JsonSchema = Record<string, unknown>;

const PROBLEM_TITLES: Record<number, string> = {
  400: "Malformed request (not JSON, bad query)",
  401: "Missing or invalid credentials",
  403: "Not allowed (role or token scope), or a cookie write from another origin",
  404: "Not found",
  409: "Conflicts with the current state",
  413: "Body too large",
  415: "Unsupported media type",
  422: "Invalid fields (errors[] per field)",
  503: "Database unavailable (Retry-After)",
};

/** A zod schema as an OpenAPI 3.1 schema object: requests as the client sends them, answers as sent. */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  return json;
}

/** Who may call an operation, in words (roles and token scope from the permission table). */
export function accessText(access: Action | "public"): string {
  if (access === "public") return "No authentication.";
  const rule = PERMISSIONS[access];
  const roles = `signed-in ${rule.roles.join(", ")}`;
  return rule.scope ? `Token scope \`${rule.scope}\`, or a ${roles} session.` : `A ${roles} session (no token scope).`;
}

function securityOf(access: Action | "public"): Array<Record<string, string[]>> {
  if (access === "public") return [];
  const rule = PERMISSIONS[access];
  return rule.scope ? [{ bearerToken: [] }, { sessionCookie: [] }] : [{ sessionCookie: [] }];
}

function problemResponse(status: number) {
  return { description: PROBLEM_TITLES[status] ?? "Problem", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
}

function parametersOf(op: ApiOperation) {
  const path = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    description: op.pathParams?.[name],
    schema: { type: "string" },
  }));
  const queryJson = op.query ? jsonSchemaOf(op.query, "input") : null;
  const properties = (queryJson?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((queryJson?.required ?? []) as string[]);
  const query = Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: "query", required: required.has(name), ...(description ? { description } : {}), schema: rest };
  });
  return [...path, ...query];
}

function withoutFields(schema: JsonSchema, names: string[]): JsonSchema {
  if (!names.length) return schema;
  const properties = Object.fromEntries(Object.entries((schema.properties ?? {}) as JsonSchema).filter(([name]) => !names.includes(name)));
  const required = ((schema.required ?? []) as string[]).filter((name) => !names.includes(name));
  return { ...schema, properties, required };
}

function requestBodyOf(op: ApiOperation) {
  if (!op.body) return undefined;
  const schema = withoutFields(jsonSchemaOf(op.body.schema, "input"), op.body.notInBody ?? []);
  const content: Record<string, { schema: JsonSchema }> = { "application/json": { schema } };
  if (op.body.ndjson) content["application/x-ndjson"] = { schema: { type: "string", description: "One JSON object per line, each as an item of the array above." } };
  if (op.body.csv) content["text/csv"] = { schema: { type: "string", description: `CSV with the header row ${op.body.csv}.` } };
  return { required: true, description: op.body.description, content };
}

function operationObject(op: ApiOperation) {
  const statuses = new Set([...(op.access === "public" ? [] : [401, 403]), ...op.problems, 503]);
  const success =
    op.success.status === 204
      ? undefined
      : { [op.success.contentType ?? "application/json"]: { schema: op.success.schema ? jsonSchemaOf(op.success.schema, "output") : { type: "string" } } };
  return {
    operationId: `${op.method}${op.path.replace(/^\/api\/v1/, "").replace(/\{(\w+)\}/g, "By-$1").replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())}`,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, accessText(op.access)].filter(Boolean).join("\n\n"),
    "x-rollcall-permission": op.access,
    security: securityOf(op.access),
    parameters: parametersOf(op),
    ...(op.body ? { requestBody: requestBodyOf(op) } : {}),
    responses: {
      [String(op.success.status)]: { description: op.success.description, ...(success ? { content: success } : {}) },
      ...Object.fromEntries([...statuses].sort().map((status) => [String(status), problemResponse(status)])),
    },
  };
}

let built: ReturnType<typeof buildDocument> | undefined;

/** The document, built once per process (the operations do not change while it runs). */
export function openApiDocument() {
  return (built ??= buildDocument());
}

function buildDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op);
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Rollcall API",
      version: "1",
      description:
        "Staged software rollouts: updates, rollouts and waves, devices, deployment status, known issues. JSON in and out; errors are application/problem+json with errors[] per field or row. Send `Authorization: Bearer rc_…` (an API token; scopes read, ingest, inventory, manage, report) or a signed-in session cookie; cookie writes must come from this site's origin.",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(API_OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Problem: jsonSchemaOf(ProblemSchema, "output") },
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "An API token (rc_…) made by an admin or with `rollcall token create`." },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description: "The browser session (named __Secure-next-auth.session-token over https).",
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
