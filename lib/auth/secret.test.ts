import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkAuthSecret, ensureAuthSecret } from "./secret";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-secret-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("auth secret", () => {
  it("is generated once (32 random bytes, mode 0600) and then reused", () => {
    const first = ensureAuthSecret(path.join(dir, "data"));
    expect(Buffer.from(first, "base64url")).toHaveLength(32);
    const file = path.join(dir, "data", "auth-secret");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureAuthSecret(path.join(dir, "data"))).toBe(first);
    expect(ensureAuthSecret(path.join(dir, "other"))).not.toBe(first);
  });

  it("refuses a truncated secret file and a short AUTH_SECRET", () => {
    fs.mkdirSync(path.join(dir, "bad"));
    fs.writeFileSync(path.join(dir, "bad", "auth-secret"), "short");
    expect(() => ensureAuthSecret(path.join(dir, "bad"))).toThrow(/shorter than 32/);
    expect(checkAuthSecret("short")).toMatch(/AUTH_SECRET/);
    expect(checkAuthSecret(undefined)).toBeNull();
    expect(checkAuthSecret("x".repeat(40))).toBeNull();
  });
});
