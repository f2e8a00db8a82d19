import { describe, expect, it } from "vitest";
import { readServerEnv } from "./env";

describe("readServerEnv", () => {
  it("defaults to port 3000, the embedded database and NEXTAUTH_URL derived from the port", () => {
    const env = readServerEnv({ PORT: "3456" });
    expect(env.port).toBe(3456);
    expect(env.nextAuthUrl).toBe("http://localhost:3456");
    expect(env.db.kind).toBe("pglite");
  });

  it.each([
    [{ PORT: "eighty" }, /^PORT: /],
    [{ PORT: "70000" }, /^PORT: /],
    [{ DATABASE_URL: "not a url" }, /^DATABASE_URL: is not a URL/],
    [{ DATABASE_URL: "mysql://root@localhost/rollcall" }, /^DATABASE_URL: must start with postgres:\/\//],
    [{ DATABASE_URL: "postgres://localhost" }, /^DATABASE_URL: names no database/],
    [{ NEXTAUTH_URL: "ftp://x" }, /^NEXTAUTH_URL: /],
    [{ OIDC_ISSUER: "https://login.example.com" }, /^OIDC_CLIENT_ID: must be set when OIDC_ISSUER is/],
    [{ OIDC_ISSUER: "http://idp.example.com", OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "b" }, /^OIDC_ISSUER: must be an https URL/],
    [{ AUTH_SECRET: "short" }, /^AUTH_SECRET: must be at least \d+ characters/],
    [{ WEB_CONCURRENCY: "two" }, /^WEB_CONCURRENCY: must be a number/],
    [{ WEB_CONCURRENCY: "2" }, /^WEB_CONCURRENCY: must be 1 with the embedded database/],
  ])("refuses %o with a message naming the variable", (env, message) => {
    expect(() => readServerEnv(env)).toThrow(message);
  });

  it("runs one server process on the embedded database, two on PostgreSQL (one on a single core), or what WEB_CONCURRENCY asks", () => {
    expect(readServerEnv({}, 2).workers).toBe(1);
    expect(readServerEnv({ DATABASE_URL: "postgres://db/rollcall" }, 2).workers).toBe(2);
    expect(readServerEnv({ DATABASE_URL: "postgres://db/rollcall" }, 8).workers).toBe(2);
    expect(readServerEnv({ DATABASE_URL: "postgres://db/rollcall" }, 1).workers).toBe(1);
    expect(readServerEnv({ DATABASE_URL: "postgres://db/rollcall", WEB_CONCURRENCY: "1" }, 2).workers).toBe(1);
    expect(readServerEnv({ DATABASE_URL: "postgres://db/rollcall", WEB_CONCURRENCY: "4" }, 2).workers).toBe(4);
  });

  it("accepts a complete single sign-on configuration", () => {
    const env = readServerEnv({ OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "rollcall", OIDC_CLIENT_SECRET: "s3cret", OIDC_ROLE_CLAIM: "roles" });
    expect(env.oidc).toEqual({ issuer: "https://idp.example.com", clientId: "rollcall", clientSecret: "s3cret", roleClaim: "roles" });
  });
});
