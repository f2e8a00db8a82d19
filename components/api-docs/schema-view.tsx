// A JSON Schema (from the API description) as a readable nested list: each field with its type,
// whether it is required, its limits and its description. Deep shapes stop at a few levels.
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  title?: string;
  format?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: JsonSchema | boolean;
  $ref?: string;
};

const MAX_DEPTH = 4;

/** "string (date-time)", "integer", "array of object", "low | medium | high", "string or null". */
export function typeLabel(schema: JsonSchema): string {
  if (schema.$ref) return schema.$ref.split("/").pop() ?? "object";
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map(typeLabel).join(" or ");
  if (schema.type === "array") return `array of ${schema.items ? typeLabel(schema.items) : "anything"}`;
  if (schema.type === "object" && !schema.properties && schema.additionalProperties && typeof schema.additionalProperties === "object" && schema.additionalProperties.type) {
    return `map of ${typeLabel(schema.additionalProperties)}`;
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "any");
  return schema.format ? `${type} (${schema.format})` : type;
}

function limits(schema: JsonSchema): string[] {
  const notes: string[] = [];
  if (schema.minLength !== undefined) notes.push(`≥ ${schema.minLength} chars`);
  if (schema.maxLength !== undefined) notes.push(`≤ ${schema.maxLength} chars`);
  if (schema.exclusiveMinimum !== undefined) notes.push(`> ${schema.exclusiveMinimum}`);
  if (schema.minimum !== undefined) notes.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) notes.push(`≤ ${schema.maximum}`);
  if (schema.minItems !== undefined) notes.push(`≥ ${schema.minItems} items`);
  if (schema.maxItems !== undefined) notes.push(`≤ ${schema.maxItems} items`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes;
}

/** The object whose fields a schema shows: itself, its items (arrays), or its non-null variant. */
function fieldsOf(schema: JsonSchema): JsonSchema | null {
  if (schema.properties) return schema;
  if (schema.type === "array" && schema.items) return fieldsOf(schema.items);
  const variants = schema.anyOf?.filter((v) => v.type !== "null") ?? [];
  return variants.length === 1 ? fieldsOf(variants[0]) : null;
}

export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const object = fieldsOf(schema);
  if (!object?.properties || depth >= MAX_DEPTH) return null;
  const required = new Set(object.required ?? []);
  return (
    <ul className={`space-y-1 text-sm ${depth > 0 ? "mt-1 border-l border-slate-200 pl-3 dark:border-slate-700" : ""}`}>
      {Object.entries(object.properties).map(([name, field]) => {
        const notes = limits(field);
        return (
          <li key={name} className="break-words">
            <code className="font-semibold">{name}</code> <span className="text-slate-700 dark:text-slate-300">{typeLabel(field)}</span>
            {required.has(name) ? <span className="ml-1 text-xs font-medium uppercase text-amber-800 dark:text-amber-300">required</span> : null}
            {notes.length ? <span className="ml-1 text-xs text-slate-600 dark:text-slate-400">({notes.join(", ")})</span> : null}
            {field.description ? <span className="block text-slate-600 dark:text-slate-400">{field.description}</span> : null}
            <SchemaView schema={field} depth={depth + 1} />
          </li>
        );
      })}
    </ul>
  );
}
