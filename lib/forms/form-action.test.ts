import { describe, expect, it } from "vitest";
import { HttpError } from "@/lib/http/problem";
import { formAction, formInput } from "./form-action";
import { fieldValue, fieldValues } from "./form-state";

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

describe("the server-action wrapper", () => {
  it("reads a form's fields, a repeated name as a list, leaving out Next.js's own fields", () => {
    expect(formInput(form([["title", "SP2"], ["os", "Windows XP"], ["os", "Windows 2000"], ["$ACTION_ID_abc", ""]]))).toEqual({
      title: "SP2",
      os: ["Windows XP", "Windows 2000"],
    });
  });

  it("answers a refusal with the message per field and every value the user typed, except secrets", async () => {
    const state = await formAction(form([["title", "Windows XP SP2"], ["slug", "Not A Slug"], ["password", "hunter2hunter2"]]), async () => {
      throw new HttpError(422, "The update has invalid fields; nothing was saved.", { errors: [{ path: "slug", message: "Lower-case letters." }] });
    });
    expect(state).toEqual({
      error: "The update has invalid fields; nothing was saved.",
      fieldErrors: { slug: ["Lower-case letters."] },
      values: { title: "Windows XP SP2", slug: "Not A Slug" },
    });
    expect(fieldValue(state, "title", "stored")).toBe("Windows XP SP2");
  });

  it("moves a field's messages to the name the form shows it under", async () => {
    const state = await formAction(
      form([["sizeMb", "abc"]]),
      async () => {
        throw new HttpError(422, "Invalid.", { errors: [{ path: "sizeBytes", message: "Enter the size." }] });
      },
      { renameFields: { sizeBytes: "sizeMb" } },
    );
    expect(state.fieldErrors).toEqual({ sizeMb: ["Enter the size."] });
  });

  it("never shows a stack trace: an unexpected error is one plain sentence, the values kept", async () => {
    const state = await formAction(form([["name", "Leeds"]]), async () => {
      throw new Error("connection reset at pg/lib/client.js:123");
    });
    expect(state.error).toBe("Something went wrong; nothing was saved.");
    expect(state.values).toEqual({ name: "Leeds" });
  });

  it("lets Next.js's redirects through", async () => {
    const redirect = Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;replace;/updates/x;307;" });
    await expect(formAction(form([]), async () => Promise.reject(redirect))).rejects.toBe(redirect);
  });

  it("refills fields from what was sent, and from the stored value before any submit", () => {
    expect(fieldValue({}, "title", "Stored")).toBe("Stored");
    expect(fieldValues({}, "os", ["Windows XP"])).toEqual(["Windows XP"]);
    expect(fieldValues({ values: { title: "x" } }, "os", ["Windows XP"])).toEqual([]);
    expect(fieldValues({ values: { os: ["A", "B"] } }, "os")).toEqual(["A", "B"]);
  });
});
