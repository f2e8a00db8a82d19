// The lock file pins the versions with the security fixes we rely on (middleware-subrequest bypass,
// RSC issues, next-auth advisories); a downgrade fails here.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const lock = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "..", "..", "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string }>;
};

function atLeast(version: string, floor: string): boolean {
  const a = version.split("-")[0].split(".").map(Number);
  const b = floor.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

describe("package-lock.json version floors", () => {
  it.each([
    ["next", "16.4.6"],
    ["react", "19.3.1"],
    ["react-dom", "19.3.1"],
    ["next-auth", "4.24.15"],
  ])("%s ≥ %s", (name, floor) => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    expect(version, `${name} is not in package-lock.json`).toBeDefined();
    expect(atLeast(version!, floor), `${name} ${version} is below ${floor}`).toBe(true);
  });

  it("compares versions numerically", () => {
    expect(atLeast("16.10.0", "16.4.6")).toBe(true);
    expect(atLeast("16.4.5", "16.4.6")).toBe(false);
    expect(atLeast("4.24.15", "4.24.15")).toBe(true);
    expect(atLeast("4.24.9", "4.24.15")).toBe(false);
  });
});
