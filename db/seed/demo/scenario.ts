// The demo scenario of PRODUCT.md ("The reference scenario"): Windows XP Service Pack 2 rolled
// out in four waves to ~2,000 machines, with its known issues and vendor fixes. This folder holds
// the scenario's data and its pure, deterministic planners (no lib/ imports); lib/seed/demo.ts
// writes it into a database. The same `now` gives the same rows.
import type { alertEnum, Role } from "../../schema";

export type Alert = (typeof alertEnum.enumValues)[number];

export const SEED = 20040806;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const MB = 1024 * 1024;

export const DEMO_EMAIL_DOMAIN = "demo.rollcall.local";
export const DEMO_USERS: readonly { role: Role; name: string; email: string }[] = [
  { role: "admin", name: "Alex Admin", email: `admin@${DEMO_EMAIL_DOMAIN}` },
  { role: "editor", name: "Erin Editor", email: `editor@${DEMO_EMAIL_DOMAIN}` },
  { role: "helpdesk", name: "Harper Helpdesk", email: `helpdesk@${DEMO_EMAIL_DOMAIN}` },
  { role: "viewer", name: "Vic Viewer", email: `viewer@${DEMO_EMAIL_DOMAIN}` },
];

export const SP2_SLUG = "windows-xp-sp2";
export const DEMO_ROLLOUT_NAME = "XP SP2 rollout";
export const DEMO_WAVE_NAMES = [
  "0 – IT department pilot",
  "1 – headquarters",
  "2 – branch offices",
  "3 – home workers",
] as const;
export const CRM_APP_NAME = "Microsoft Business Solutions CRM Sales for Outlook";
