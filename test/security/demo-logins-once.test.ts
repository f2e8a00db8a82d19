// Issue #14 item 8: `npm start` printed the demo passwords on every start, so they ended up in
// every service log. They are printed once, when the demo is seeded; later starts say where they are.
import { describe, expect, it } from "vitest";
import { demoLoginsBanner } from "@/lib/server/prepare-database";

const logins = [
  { role: "admin", email: "admin@demo.rollcall.local", password: "Adm1nSecretPassw0rdXy" },
  { role: "viewer", email: "viewer@demo.rollcall.local", password: "V1ewerSecretPasswordZ" },
];
const FILE = "/srv/rollcall/.data/demo-logins.txt";

describe("demo logins at start", () => {
  it("prints the passwords on the start that seeded them", () => {
    const text = demoLoginsBanner(logins, FILE, true).join("\n");
    for (const l of logins) expect(text).toContain(l.password);
    expect(text).toContain(FILE);
  });

  it("prints only where they are on every later start", () => {
    const text = demoLoginsBanner(logins, FILE, false).join("\n");
    for (const l of logins) expect(text).not.toContain(l.password);
    expect(text).toContain(FILE);
  });

  it("prints nothing without demo logins", () => {
    expect(demoLoginsBanner([], FILE, false)).toEqual([]);
  });
});
