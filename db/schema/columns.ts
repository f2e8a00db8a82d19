// Column helpers every table uses: timestamps with time zone, created and updated times.
import { timestamp } from "drizzle-orm/pg-core";

export const ts = (name?: string) =>
  name ? timestamp(name, { withTimezone: true, mode: "date" }) : timestamp({ withTimezone: true, mode: "date" });
export const createdAt = () => ts().notNull().defaultNow();
/** Set by drizzle on every update of the row, so no write has to remember it. */
export const updatedAt = () => ts().notNull().defaultNow().$onUpdate(() => new Date());
