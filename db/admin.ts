// Databases made and dropped on a PostgreSQL server through a maintenance connection (tests, the
// benchmark, the reliability suite). Names are ours, never user input: they go into the statement as-is.
import pg from "pg";

/** Runs `fn` with a client on `adminUrl`, closed afterwards. */
export async function withAdminClient<T>(adminUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl, application_name: "rollcall-admin" });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** The URL of database `name` on the server `adminUrl` points to. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops database `name` if it exists (disconnecting its sessions) and creates it empty; returns its URL. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  await withAdminClient(adminUrl, async (admin) => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdminClient(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
}
