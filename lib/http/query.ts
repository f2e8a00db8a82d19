// Query-string fields shared by the list and export filters.
import { z } from "zod";

/** A free-text filter: trimmed, at most 200 characters; empty means no filter (undefined). */
export const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));
