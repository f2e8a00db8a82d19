// One operation of the API description: method and path, who may call it, its parameters, its
// request body and its answers, each schema shown as fields.
import { Table, Td, Th } from "@/components/ui/table";
import { SchemaView, typeLabel, type JsonSchema } from "./schema-view";

type Media = Record<string, { schema: JsonSchema }>;

export type DescribedOperation = {
  operationId: string;
  summary: string;
  description: string;
  parameters: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { description?: string; content: Media };
  responses: Record<string, { description: string; content?: Media }>;
};

const METHOD_STYLE: Record<string, string> = {
  get: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  post: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  patch: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  delete: "bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100",
};

/** Text with `code` spans, as the description writes them. */
export function Prose({ text }: { text: string }) {
  return <>{text.split("`").map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}</>;
}

function Bodies({ content }: { content: Media }) {
  return (
    <>
      {Object.entries(content).map(([type, { schema }]) => (
        <div key={type} className="mt-1">
          <p className="text-sm">
            <code>{type}</code>: {typeLabel(schema)}
            {schema.description ? ` — ${schema.description}` : ""}
          </p>
          <SchemaView schema={schema} />
        </div>
      ))}
    </>
  );
}

export function OperationView({ method, path, operation }: { method: string; path: string; operation: DescribedOperation }) {
  const headingId = `op-${operation.operationId}`;
  return (
    <section aria-labelledby={headingId} className="space-y-3 break-words rounded border border-slate-200 p-3 dark:border-slate-700">
      <h3 id={headingId} className="flex flex-wrap items-baseline gap-2 text-base font-semibold">
        <span className={`rounded px-1.5 py-0.5 font-mono text-xs uppercase ${METHOD_STYLE[method] ?? ""}`}>{method}</span>
        <code className="break-all">{path}</code>
      </h3>
      <p>{operation.summary}</p>
      {operation.description.split("\n\n").map((paragraph) => (
        <p key={paragraph} className="text-sm text-slate-700 dark:text-slate-300">
          <Prose text={paragraph} />
        </p>
      ))}
      {operation.parameters.length ? (
        <Table caption={`Parameters of ${method.toUpperCase()} ${path}`}>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>In</Th>
              <Th>Type</Th>
              <Th>Description</Th>
            </tr>
          </thead>
          <tbody>
            {operation.parameters.map((p) => (
              <tr key={`${p.in}-${p.name}`}>
                <Td>
                  <code>{p.name}</code>
                  {p.required ? <span className="ml-1 text-xs font-medium uppercase text-amber-800 dark:text-amber-300">required</span> : null}
                </Td>
                <Td>{p.in}</Td>
                <Td>{typeLabel(p.schema)}</Td>
                <Td>{p.description ?? ""}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {operation.requestBody ? (
        <div>
          <h4 className="text-sm font-semibold">Request body</h4>
          {operation.requestBody.description ? (
            <p className="text-sm">
              <Prose text={operation.requestBody.description} />
            </p>
          ) : null}
          <Bodies content={operation.requestBody.content} />
        </div>
      ) : null}
      <div>
        <h4 className="text-sm font-semibold">Responses</h4>
        <ul className="space-y-2">
          {Object.entries(operation.responses).map(([status, response]) => (
            <li key={status}>
              <p className="text-sm">
                <span className="font-mono font-semibold">{status}</span> {response.description}
              </p>
              {status.startsWith("2") && response.content ? <Bodies content={response.content} /> : null}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
