// The demo logins file: `<data dir>/demo-logins.txt`, mode 0600, one line per role,
// `role  email  password`. Written at seed time, printed by `npm start`, read by the browser tests
// and the screenshot script — so this module needs nothing server-only.
import { readFileSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { roleEnum, type Role } from "../schema";

export type DemoLogin = { role: Role; email: string; password: string };

export const DEMO_LOGINS_FILE = "demo-logins.txt";

export function parseDemoLogins(text: string): DemoLogin[] {
  return text
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 3 && roleEnum.enumValues.includes(parts[0] as Role))
    .map(([role, email, password]) => ({ role: role as Role, email, password }));
}

/** Writes `<dir>/demo-logins.txt` (mode 0600): one line per role, `role  email  password`. */
export async function writeDemoLogins(dir: string, logins: DemoLogin[]): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, DEMO_LOGINS_FILE);
  await writeFile(file, logins.map((l) => `${l.role}  ${l.email}  ${l.password}`).join("\n") + "\n", { mode: 0o600 });
  // `mode` only applies when the file is created; make sure an older file is private too.
  await chmod(file, 0o600);
  return file;
}

/** The demo logins saved at seed time, or [] when the file is not there. */
export async function readDemoLogins(dir: string): Promise<DemoLogin[]> {
  try {
    return parseDemoLogins(await readFile(path.join(dir, DEMO_LOGINS_FILE), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** The login of one role; throws naming the file when it has none. */
export function demoLoginFor(dir: string, role: Role): DemoLogin {
  const file = path.join(dir, DEMO_LOGINS_FILE);
  const login = parseDemoLogins(readFileSync(file, "utf8")).find((l) => l.role === role);
  if (!login) throw new Error(`no demo login for ${role} in ${file}`);
  return login;
}
