// Data flows one way: app/ → lib/ → db/ (shared/CONVENTIONS.md). React lives in components/ and never
// reaches the database; lib/ never reaches back into pages or React. A test file may import what it
// tests from anywhere, so only production files are checked.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !/test-fixtures|test-support/.test(full)) out.push(full);
    }
  };
  walk(path.join(root, dir));
  return out;
}

/** The project folders a file imports from (`@/lib/...` → "lib"; relative imports resolved). */
function importedAreas(file: string): { area: string; spec: string }[] {
  const text = fs.readFileSync(file, "utf8");
  const found: { area: string; spec: string }[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
    const spec = match[1] ?? match[2];
    let target: string | null = null;
    if (spec.startsWith("@/")) target = spec.slice(2);
    else if (spec.startsWith(".")) target = path.relative(root, path.resolve(path.dirname(file), spec));
    if (target) found.push({ area: target.split(/[\\/]/)[0], spec });
  }
  return found;
}

function violations(dir: string, forbidden: string[]): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importedAreas(file)
      .filter((i) => forbidden.includes(i.area))
      .map((i) => `${path.relative(root, file)} imports ${i.spec}`),
  );
}

describe("the layers import one way", () => {
  it("components/ never imports db/ or app/", () => {
    expect(violations("components", ["db", "app"])).toEqual([]);
  });
  it("lib/ never imports app/ or components/", () => {
    expect(violations("lib", ["app", "components"])).toEqual([]);
  });
  it("app/ reaches db/ only through lib/", () => {
    expect(violations("app", ["db"])).toEqual([]);
  });
  it("db/ never imports lib/, app/ or components/ (no lib ↔ db loop)", () => {
    expect(violations("db", ["lib", "app", "components"])).toEqual([]);
  });
});
