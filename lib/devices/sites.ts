import "server-only";
// Sites (HQ, branches with their WAN link, home workers) and departments: the names inventory
// uploads refer to. Created by editors before importing devices.
import { asc, count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { departments, devices, sites } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { mutation } from "@/lib/dal/mutation";
import { fieldProblem, HttpError } from "@/lib/http/problem";

export const SiteInput = z.object({
  name: z.string().trim().min(1, "Name the site.").max(200, "At most 200 characters."),
  kind: z.enum(["hq", "branch", "home"], { message: "Choose HQ, branch or home." }),
  linkKbps: z.preprocess(
    (v) => (v === "" || v === null || v === undefined ? null : v),
    z.coerce.number({ message: "Enter the link speed in kbit/s." }).int("Whole kbit/s.").min(1, "At least 1 kbit/s.").max(100_000_000).nullable(),
  ),
  distributionPoint: z.preprocess((v) => (v === "" ? null : v), z.string().trim().max(200).nullable().optional()),
});

export const DepartmentInput = z.object({ name: z.string().trim().min(1, "Name the department.").max(200, "At most 200 characters.") });

export async function listSites(actor: Actor | null) {
  assertCan(actor, "device.read");
  const db = await getDb();
  // Counted once per site and department and joined on, so each row gets its own count.
  const perSite = db.select({ siteId: devices.siteId, devices: count().as("devices") }).from(devices).groupBy(devices.siteId).as("per_site");
  const perDepartment = db
    .select({ departmentId: devices.departmentId, devices: count().as("devices") })
    .from(devices)
    .groupBy(devices.departmentId)
    .as("per_department");
  const [siteRows, departmentRows] = await Promise.all([
    db
      .select({
        id: sites.id,
        name: sites.name,
        kind: sites.kind,
        linkKbps: sites.linkKbps,
        distributionPoint: sites.distributionPoint,
        devices: sql<number>`coalesce(${perSite.devices}, 0)::int`,
      })
      .from(sites)
      .leftJoin(perSite, eq(perSite.siteId, sites.id))
      .orderBy(asc(sites.name)),
    db
      .select({ id: departments.id, name: departments.name, devices: sql<number>`coalesce(${perDepartment.devices}, 0)::int` })
      .from(departments)
      .leftJoin(perDepartment, eq(perDepartment.departmentId, departments.id))
      .orderBy(asc(departments.name)),
  ]);
  return { sites: siteRows, departments: departmentRows };
}

export const createSite = mutation({
  action: "inventory.write",
  input: SiteInput,
  invalid: "The site has invalid fields; nothing was saved.",
  run: async (tx, _actor, data) => {
    const [existing] = await tx.select({ id: sites.id }).from(sites).where(sql`lower(${sites.name}) = lower(${data.name})`);
    if (existing) throw fieldProblem(409, "name", `A site named "${data.name}" exists already.`);
    const [site] = await tx.insert(sites).values({ ...data, distributionPoint: data.distributionPoint ?? null }).returning();
    return site;
  },
  audit: (data, site) => ({ action: "site.create", targetType: "site", targetId: site.id, after: data }),
});

export const updateSiteLink = mutation({
  action: "inventory.write",
  input: SiteInput.pick({ linkKbps: true }).extend({ id: z.coerce.number().int().positive() }),
  invalid: "The link speed is not valid; nothing was saved.",
  run: async (tx, _actor, { id, linkKbps }) => {
    const [before] = await tx.select({ linkKbps: sites.linkKbps }).from(sites).where(eq(sites.id, id)).for("update");
    if (!before) throw new HttpError(404, "No such site.");
    await tx.update(sites).set({ linkKbps }).where(eq(sites.id, id));
    return { before: before.linkKbps };
  },
  audit: ({ id, linkKbps }, { before }) => ({ action: "site.update", targetType: "site", targetId: id, before: { linkKbps: before }, after: { linkKbps } }),
});

export const createDepartment = mutation({
  action: "inventory.write",
  input: DepartmentInput,
  invalid: "The department has invalid fields; nothing was saved.",
  run: async (tx, _actor, data) => {
    const [existing] = await tx.select({ id: departments.id }).from(departments).where(sql`lower(${departments.name}) = lower(${data.name})`);
    if (existing) throw fieldProblem(409, "name", `A department named "${data.name}" exists already.`);
    const [department] = await tx.insert(departments).values(data).returning();
    return department;
  },
  audit: (data, department) => ({ action: "department.create", targetType: "department", targetId: department.id, after: data }),
});
