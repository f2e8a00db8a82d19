import { describe, expect, it } from "vitest";
import { commonPasswords, passwordProblem } from "./password-policy";

describe("password policy", () => {
  it("bundles at least 10,000 distinct common passwords", () => {
    expect(commonPasswords().size).toBeGreaterThanOrEqual(10_000);
    expect(commonPasswords().has("password")).toBe(true);
    expect(commonPasswords().has("123456")).toBe(true);
  });

  it("accepts 12 to 128 characters that are not common", () => {
    expect(passwordProblem("correct horse battery staple")).toBeNull();
    expect(passwordProblem("a".repeat(11) + "b")).toBeNull();
    expect(passwordProblem("x".repeat(127) + "y")).toBeNull();
  });

  it("refuses short, long, common, repeated and email-equal passwords with a reason", () => {
    expect(passwordProblem("short")).toMatch(/at least 12/);
    expect(passwordProblem("x".repeat(128) + "y")).toMatch(/at most 128/);
    const longCommon = [...commonPasswords()].find((p) => p.length >= 12)!;
    expect(longCommon).toBeDefined();
    expect(passwordProblem(longCommon)).toMatch(/commonly used/);
    expect(passwordProblem(longCommon.toUpperCase())).toMatch(/commonly used/);
    expect(passwordProblem("aaaaaaaaaaaaaaaa")).toMatch(/repeated/);
    expect(passwordProblem("someone@example.com", { email: "Someone@Example.com" })).toMatch(/email/);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(passwordProblem("🔒a".repeat(6))).toBeNull();
    expect(passwordProblem("🔒a".repeat(5) + "🔒")).toMatch(/at least 12/);
  });
});
