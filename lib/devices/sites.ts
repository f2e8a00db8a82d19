import "server-only";
// Sites (HQ, branches with their WAN link, home workers) and departments: the names inventory
// uploads refer to. Created by editors before importing devices.
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { departments, devices, sites } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/log";
import { HttpError } from "@/lib/http/problem";

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

function conflict(path: string, message: string) {
  return new HttpError(409, message, { errors: [{ path, message }] });
}

export async function listSites(actor: Actor | null) {
  assertCan(actor, "device.read");
  const db = await getDb();
  const [siteRows, departmentRows] = await Promise.all([
    db
      .select({ id: sites.id, name: sites.name, kind: sites.kind, linkKbps: sites.linkKbps, distributionPoint: sites.distributionPoint, devices: sql<number>`(select count(*)::int from ${devices} where ${devices.siteId} = ${sites.id})` })
      .from(sites)
      .orderBy(asc(sites.name)),
    db
      .select({ id: departments.id, name: departments.name, devices: sql<number>`(select count(*)::int from ${devices} where ${devices.departmentId} = ${departments.id})` })
      .from(departments)
      .orderBy(asc(departments.name)),
  ]);
  return { sites: siteRows, departments: departmentRows };
}

export async function createSite(actor: Actor | null, input: z.input<typeof SiteInput>) {
  assertCan(actor, "inventory.write");
  const data = SiteInput.parse(input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: sites.id }).from(sites).where(sql`lower(${sites.name}) = lower(${data.name})`);
    if (existing) throw conflict("name", `A site named "${data.name}" exists already.`);
    const [site] = await tx.insert(sites).values({ ...data, distributionPoint: data.distributionPoint ?? null }).returning();
    await recordAudit(tx, actor!, { action: "site.create", targetType: "site", targetId: site.id, after: data });
    return site;
  });
}

export async function updateSiteLink(actor: Actor | null, input: { id: number; linkKbps: unknown }) {
  assertCan(actor, "inventory.write");
  const { linkKbps } = SiteInput.pick({ linkKbps: true }).parse({ linkKbps: input.linkKbps });
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(sites).where(eq(sites.id, input.id));
    if (!before) throw new HttpError(404, "No such site.");
    await tx.update(sites).set({ linkKbps }).where(eq(sites.id, input.id));
    await recordAudit(tx, actor!, { action: "site.update", targetType: "site", targetId: input.id, before: { linkKbps: before.linkKbps }, after: { linkKbps } });
  });
}

export async function createDepartment(actor: Actor | null, input: z.input<typeof DepartmentInput>) {
  assertCan(actor, "inventory.write");
  const data = DepartmentInput.parse(input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: departments.id }).from(departments).where(sql`lower(${departments.name}) = lower(${data.name})`);
    if (existing) throw conflict("name", `A department named "${data.name}" exists already.`);
    const [department] = await tx.insert(departments).values(data).returning();
    await recordAudit(tx, actor!, { action: "department.create", targetType: "department", targetId: department.id, after: data });
    return department;
  });
}
