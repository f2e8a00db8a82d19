// `rollcall db migrate | seed --demo | seed --scale N | verify-summaries [--repair] | backup FILE | restore FILE`
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { dataRoot } from "@/db/config";
import { migrateDatabase } from "@/db/migrate";
import { CliError, UsageError, type CliCommand } from "../cli-context";

const USAGE = `Usage:
  rollcall db migrate                 apply pending migrations
  rollcall db seed --demo             seed the Windows XP SP2 demo scenario (empty database only)
  rollcall db seed --scale N          add N generated devices × 10 updates (benchmarks; N ≥ 1)
  rollcall db verify-summaries [--repair]
                                      recompute the dashboard summaries from the deployments,
                                      report drift, and with --repair fix it
  rollcall db backup FILE [--force]   write the embedded database to FILE (a .tar.gz; stop the server
                                      first); with DATABASE_URL, prints the pg_dump recipe instead
  rollcall db restore FILE [--force]  replace the embedded database with the backup in FILE (stop the
                                      server first; --force replaces a non-empty one, kept aside)`;

export const dbCommand: CliCommand = {
  name: "db",
  summary: "migrate, seed, check, back up and restore the database",
  usage: USAGE,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub === "migrate") {
      parseArgs({ args: rest, options: {}, strict: true, allowPositionals: false });
      const handle = await ctx.openDb();
      await migrateDatabase(handle);
      ctx.out(`Migrations applied (${handle.kind}).`);
      return 0;
    }
    if (sub === "seed") {
      const { values } = parseArgs({
        args: rest,
        options: { demo: { type: "boolean" }, scale: { type: "string" } },
        strict: true,
        allowPositionals: false,
      });
      if (Boolean(values.demo) === (values.scale !== undefined)) throw new UsageError("db seed needs exactly one of --demo or --scale N");
      const { db } = await ctx.openDb();
      if (values.demo) {
        const { seedDemo, writeDemoLogins, isDatabaseEmpty } = await import("@/lib/seed/demo");
        if (!(await isDatabaseEmpty(db))) {
          throw new CliError("The database already has data; the demo seed only runs on an empty database.");
        }
        const started = Date.now();
        const { logins } = await seedDemo(db);
        await writeDemoLogins(dataRoot(), logins);
        ctx.out(`Demo scenario seeded in ${((Date.now() - started) / 1000).toFixed(1)} s. Demo logins (also in ${dataRoot()}/demo-logins.txt):`);
        for (const l of logins) ctx.out(`  ${l.role.padEnd(9)}${l.email.padEnd(30)}${l.password}`);
        return 0;
      }
      const n = Number(values.scale);
      if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new UsageError(`--scale takes a whole number of devices from 1 to 10,000,000, not "${values.scale}"`);
      const { seedScale } = await import("@/lib/seed/scale");
      const started = Date.now();
      await seedScale(db, n, {
        onProgress: (done, total) => {
          const secs = (Date.now() - started) / 1000;
          ctx.progress(`seeding: ${done.toLocaleString("en")} / ${total.toLocaleString("en")} devices (${Math.round(done / Math.max(secs, 0.001)).toLocaleString("en")}/s)`);
        },
      });
      const [{ deployments }] = (await db.execute(sql`select count(*)::int as deployments from deployments`)).rows as { deployments: number }[];
      ctx.progress("");
      ctx.out(`Seeded ${n.toLocaleString("en")} devices in ${((Date.now() - started) / 1000).toFixed(1)} s; ${deployments.toLocaleString("en")} deployments in the database.`);
      return 0;
    }
    if (sub === "verify-summaries") {
      const { values } = parseArgs({ args: rest, options: { repair: { type: "boolean" } }, strict: true, allowPositionals: false });
      const { runVerifySummaries } = await import("./db-verify");
      const handle = await ctx.openDb();
      return runVerifySummaries(handle.db, { repair: Boolean(values.repair) }, ctx);
    }
    if (sub === "backup" || sub === "restore") {
      const { runBackupCommand } = await import("./backup");
      return runBackupCommand(sub, rest, ctx);
    }
    throw new UsageError(sub ? `unknown db command "${sub}"` : "db needs a command");
  },
};
