// Keyset pagination for the lists (updates, rollouts): at most 100 rows a page, `cursor` for the page
// after a row and `before` for the page before one, each an opaque token of the row's sort key.
// A page answers nextCursor and prevCursor (null at either end), like the device list's nextCursor.
import { z } from "zod";
import { HttpError } from "./problem";
import { optionalText } from "./query";

export const PAGE_SIZE = 100;

export const PageQuery = z.object({
  cursor: optionalText.meta({ description: "nextCursor of the previous page: the page after it." }),
  before: optionalText.meta({ description: "prevCursor of a page: the page before it." }),
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE).catch(PAGE_SIZE).default(PAGE_SIZE),
});
export type PageQuery = z.input<typeof PageQuery>;

export type Page<T> = { items: T[]; nextCursor: string | null; prevCursor: string | null };

/** What each part of a sort key is: a row id, or a whole number too large for JavaScript (as digits). */
export type KeyPart = "id" | "digits";
const KEY_PARTS: Record<KeyPart, (k: unknown) => boolean> = {
  id: (k) => Number.isSafeInteger(k),
  digits: (k) => typeof k === "string" && /^-?\d{1,19}$/.test(k),
};

/** A sort key as an opaque token (numbers and strings only). */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** The key of a token, or a 422 at `path` when it is not one of ours. */
export function decodeCursor(cursor: string, shape: readonly KeyPart[], path = "cursor"): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === shape.length && key.every((k, i) => KEY_PARTS[shape[i]](k))) return key;
  } catch {
    // not base64url JSON: refused below
  }
  throw new HttpError(422, "The page cursor is not valid; start from the first page.", { errors: [{ path, message: "Not a cursor this list gave out." }] });
}

/**
 * What a page query asks for: the direction and the key to start from. `rows` came back in the
 * list's order when going forward and in reverse when going back, one more than `limit` when there
 * is more that way; `finish` turns them into the page with its cursors.
 */
export function keysetPage(query: z.output<typeof PageQuery>, shape: readonly KeyPart[]) {
  const back = query.before !== undefined;
  const from = back ? decodeCursor(query.before!, shape, "before") : query.cursor !== undefined ? decodeCursor(query.cursor, shape) : null;
  return {
    back,
    from,
    take: query.limit + 1,
    finish<T>(rows: T[], keyOf: (row: T) => (string | number)[]): Page<T> {
      const more = rows.length > query.limit;
      const items = rows.slice(0, query.limit);
      if (back) items.reverse();
      const first = items[0];
      const last = items[items.length - 1];
      const hasBefore = back ? more : from !== null;
      const hasAfter = back ? true : more;
      return {
        items,
        nextCursor: hasAfter && last !== undefined ? encodeCursor(keyOf(last)) : null,
        prevCursor: hasBefore && first !== undefined ? encodeCursor(keyOf(first)) : null,
      };
    },
  };
}
