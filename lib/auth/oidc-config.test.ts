import { describe, expect, it } from "vitest";
import { oidcConfigProblem, readOidcConfig, roleFromClaims } from "./oidc-config";

describe("OIDC configuration", () => {
  it("is off when nothing is set, and names the missing variable when half set", () => {
    expect(readOidcConfig({})).toBeNull();
    expect(oidcConfigProblem({ OIDC_ISSUER: "https://login.example.com" })).toMatch(/OIDC_CLIENT_ID/);
    expect(oidcConfigProblem({ OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y" })).toMatch(/OIDC_ISSUER/);
    expect(oidcConfigProblem({ OIDC_ISSUER: "http://idp.example.com", OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y" })).toMatch(/https/);
    expect(oidcConfigProblem({ OIDC_ISSUER: "http://127.0.0.1:9000", OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y" })).toBeNull();
  });

  it("reads the role claim and the refusal switch", () => {
    const config = readOidcConfig({ OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y", OIDC_ROLE_CLAIM: "roles", OIDC_ROLE_REQUIRED: "true" });
    expect(config).toMatchObject({ roleClaim: "roles", roleRequired: true });
  });

  it("maps a claim to the highest of our roles, ignoring unknown values", () => {
    expect(roleFromClaims({ roles: ["viewer", "Editor"] }, "roles")).toBe("editor");
    expect(roleFromClaims({ roles: "helpdesk" }, "roles")).toBe("helpdesk");
    expect(roleFromClaims({ realm_access: { roles: ["offline_access", "admin"] } }, "realm_access.roles")).toBe("admin");
    expect(roleFromClaims({ roles: ["superuser"] }, "roles")).toBeNull();
    expect(roleFromClaims({}, "roles")).toBeNull();
    expect(roleFromClaims({ roles: ["admin"] }, null)).toBeNull();
  });
});
