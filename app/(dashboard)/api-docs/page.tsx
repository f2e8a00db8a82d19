import { OperationView, Prose, type DescribedOperation } from "@/components/api-docs/operation-view";
import { openApiDocument } from "@/lib/openapi/document";

export const metadata = { title: "API" };

const anchorOf = (tag: string) => `tag-${tag.replace(/\W+/g, "-").toLowerCase()}`;

// The API description (GET /api/v1/openapi.json) rendered here as HTML: /api/* answers carry a CSP
// that allows no styles, so /api/docs redirects to this page.
export default function ApiDocsPage() {
  const document = openApiDocument();
  const paths = document.paths as Record<string, Record<string, DescribedOperation & { tags: string[] }>>;
  const byTag = document.tags.map(({ name }) => ({
    name,
    operations: Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.tags.includes(name))
        .map(([method, op]) => ({ path, method, op })),
    ),
  }));
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">API</h1>
        <p className="max-w-prose text-sm">
          <Prose text={document.info.description} />
        </p>
        <p className="text-sm">
          Machine-readable: <a className="underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1, no sign-in needed).
        </p>
        <nav aria-label="API sections">
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {byTag.map((tag) => (
              <li key={tag.name}>
                <a className="underline" href={`#${anchorOf(tag.name)}`}>
                  {tag.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      {byTag.map((tag) => (
        <section key={tag.name} aria-labelledby={anchorOf(tag.name)} className="space-y-3">
          <h2 id={anchorOf(tag.name)} className="text-xl font-semibold">
            {tag.name}
          </h2>
          {tag.operations.map(({ path, method, op }) => (
            <OperationView key={`${method} ${path}`} method={method} path={path} operation={op} />
          ))}
        </section>
      ))}
    </div>
  );
}
