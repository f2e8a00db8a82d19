// Enumerates the app/ tree: every page and every route handler with the URL it answers, so the
// authorisation tests cover a new route without being edited.
import fs from "node:fs";
import path from "node:path";

export type AppRoute = {
  kind: "page" | "handler";
  /** File path relative to the repository root. */
  file: string;
  /** URL pattern with Next.js segments, e.g. /updates/[slug] (route groups removed). */
  pattern: string;
  /** Dynamic segment names in order. */
  params: { name: string; catchAll: boolean }[];
};

const root = path.resolve(import.meta.dirname, "..");

export function appRoutes(appDir = path.join(root, "app")): AppRoute[] {
  const routes: AppRoute[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        // Private folders (_x) and parallel/intercepting routes are not URLs of their own.
        if (entry.name.startsWith("_") || entry.name.startsWith("@") || entry.name.startsWith("(.")) continue;
        walk(path.join(dir, entry.name), [...segments, entry.name]);
        continue;
      }
      const match = /^(page|route)\.(tsx?|jsx?)$/.exec(entry.name);
      if (!match) continue;
      const urlSegments = segments.filter((s) => !(s.startsWith("(") && s.endsWith(")")));
      const params = urlSegments
        .filter((s) => s.startsWith("["))
        .map((s) => ({ name: s.replace(/^\[+(\.\.\.)?/, "").replace(/\]+$/, ""), catchAll: s.includes("...") }));
      routes.push({
        kind: match[1] === "page" ? "page" : "handler",
        file: path.relative(root, path.join(dir, entry.name)),
        pattern: "/" + urlSegments.join("/"),
        params,
      });
    }
  };
  walk(appDir, []);
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** A concrete URL path for a pattern, with each dynamic segment replaced by `values[name]` or a placeholder. */
export function concretePath(route: AppRoute, values: Record<string, string> = {}): string {
  return route.pattern.replace(/\[+(\.\.\.)?([^\]]+)\]+/g, (_, _dots, name: string) => encodeURIComponent(values[name] ?? `no-such-${name}`));
}

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
