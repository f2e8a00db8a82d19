// /admin is the index of the administration pages: an admin sees each of them listed with what it is
// for, under the same tabs as the pages; anyone else gets the 403 page and anonymous visitors the
// login. Its list is the app's list: a new page under /admin that is not in the tabs fails here.
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDbHandle, type DbHandle } from "@/db/client";
import { users, type Role } from "@/db/schema";
import { createTestDb } from "@/db/test-db";
import { ADMIN_SECTIONS } from "@/components/admin/admin-nav";
import { encodeSessionToken, sessionCookieName } from "@/lib/auth/session-cookie";
import AdminIndexPage from "@/app/(dashboard)/admin/page";
import { appRoutes } from "../app-routes";

process.env.AUTH_SECRET ??= "admin-index-secret-admin-index-secret-0123";
// What `experimental.authInterrupts` in next.config.ts sets in a build; forbidden() refuses to run without it.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

const request = vi.hoisted(() => ({ cookie: undefined as string | undefined }));
vi.mock("next/headers", () => ({
  cookies: async () => {
    const all = request.cookie ? [{ name: "next-auth.session-token", value: request.cookie }] : [];
    return { get: (name: string) => all.find((c) => c.name === name), getAll: () => all };
  },
  headers: async () => new Headers({ "x-rollcall-path": "/admin" }),
}));

/** What the page threw: Next.js' 403 and redirect signals carry a digest. */
async function outcome(): Promise<string> {
  try {
    return renderToStaticMarkup(await AdminIndexPage());
  } catch (error) {
    return String((error as { digest?: string }).digest ?? error);
  }
}

describe("the /admin index", () => {
  let handle: DbHandle;
  const cookies = new Map<Role, string>();

  beforeAll(async () => {
    handle = await createTestDb("pglite");
    useDbHandle(handle);
    expect(sessionCookieName()).toBe("next-auth.session-token");
    const now = Math.floor(Date.now() / 1000);
    for (const role of ["viewer", "helpdesk", "editor", "admin"] as const) {
      const [u] = await handle.db.insert(users).values({ email: `${role}@admin-index.test`, role }).returning();
      cookies.set(role, await encodeSessionToken({ uid: u.id, sv: u.sessionVersion, role, authTime: now }));
    }
  });
  afterAll(() => handle?.close());

  it("is a page of the app", () => {
    expect(appRoutes().some((r) => r.kind === "page" && r.pattern === "/admin")).toBe(true);
  });

  it("lists every administration page for an admin, under the heading Administration", async () => {
    request.cookie = cookies.get("admin");
    const html = await outcome();
    expect(html).toContain(">Administration</h1>");
    expect(html).toContain('aria-label="Administration"');
    for (const section of ADMIN_SECTIONS) {
      expect(html).toContain(`href="${section.href}"`);
      expect(html).toContain(section.description);
    }
    const adminPages = appRoutes()
      .filter((r) => r.kind === "page" && r.pattern.startsWith("/admin/") && r.params.length === 0)
      .map((r) => r.pattern)
      .sort();
    expect(ADMIN_SECTIONS.map((s) => s.href).sort()).toEqual(adminPages);
  });

  it.each(["viewer", "helpdesk", "editor"] as const)("answers 403 to the %s", async (role) => {
    request.cookie = cookies.get(role);
    expect(await outcome()).toBe("NEXT_HTTP_ERROR_FALLBACK;403");
  });

  it("sends anonymous visitors to the login page, back to /admin afterwards", async () => {
    request.cookie = undefined;
    expect(await outcome()).toMatch(/^NEXT_REDIRECT;replace;\/login\?next=%2Fadmin;307;$/);
  });
});
