import "server-only";
// The write kernel: every change in the data-access layer is a `mutation`. It asks who is
// calling (assertCan), validates the input (safeParse: a failure is 422 with errors[] per field),
// runs the change, its audit entries and its outbox events in one transaction, and only then runs
// the post-commit hooks (cache invalidation, waking the outbox's dispatcher). Server actions and route handlers only adapt form or JSON in and
// the result out; they never open a transaction of their own.
import type { SQL } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { executeTogether, type Transaction } from "@/db/tx";
import type { Actor } from "@/lib/auth/actor";
import { assertCan, type Action } from "@/lib/auth/permissions";
import { auditInsert, type AuditInput } from "@/lib/audit/log";
import type { FormValues } from "@/lib/forms/form-state";
import { forgetPageData } from "@/lib/cache/page-data";
import { invalidInput } from "@/lib/http/problem";
import { eventsInsert, wakeDispatchers, type OutboxEvent } from "@/lib/outbox/events";
import { noteWrite } from "@/lib/server/replica-reads";

export type MutationSpec<S extends z.ZodType, R> = {
  /** The permission the caller needs (lib/auth/permissions.ts). */
  action: Action;
  /** What the input must look like; the parsed value is what `run` gets. */
  input: S;
  /** The 422's detail when the input is not valid. */
  invalid?: string;
  /** The change itself, inside the transaction. Throw HttpError to refuse (everything rolls back). */
  run: (tx: Transaction, actor: Actor, data: z.output<S>) => Promise<R>;
  /** The audit entries of the change, written in the same transaction (none: return null). */
  audit: (data: z.output<S>, result: R, actor: Actor) => AuditInput | AuditInput[] | null;
  /** The notifiable events of the change (webhooks, email), written to the outbox in the same transaction. */
  events?: (data: z.output<S>, result: R, actor: Actor) => OutboxEvent[];
  /** After the commit: forget caches, wake workers. A failure here is logged, never undoes the change. */
  afterCommit?: (data: z.output<S>, result: R) => void | Promise<void>;
};

/**
 * A DAL write: call it with who is asking and the input, typed (code, tests) or as a form sent it
 * (every field a string): the schema, not the caller, decides what is valid.
 */
export type Mutation<S extends z.ZodType, R> = ((actor: Actor | null | undefined, input: z.input<S> | FormValues) => Promise<R>) & {
  readonly kernel: { action: Action };
};

export function mutation<S extends z.ZodType, R>(spec: MutationSpec<S, R>): Mutation<S, R> {
  const write = async (caller: Actor | null | undefined, input: z.input<S> | FormValues): Promise<R> => {
    const actor = assertCan(caller, spec.action);
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) throw invalidInput(parsed.error, spec.invalid);
    const db = await getDb();
    let emitted = 0;
    const result = await db.transaction(async (tx) => {
      const changed = await spec.run(tx, actor, parsed.data);
      // The audit entries and the outbox events go to the database as one statement (one round trip).
      const writes: SQL[] = [];
      for (const entry of [spec.audit(parsed.data, changed, actor)].flat()) {
        if (entry) writes.push(auditInsert(tx, actor, entry).getSQL());
      }
      const events = spec.events?.(parsed.data, changed, actor) ?? [];
      const insertEvents = eventsInsert(tx, events);
      if (insertEvents) writes.push(insertEvents);
      await executeTogether(tx, writes);
      if (insertEvents) emitted = events.length;
      return changed;
    });
    if (emitted > 0) wakeDispatchers();
    // With a read replica, the writer reads the primary until the replica holds this write (read-your-writes);
    // noted before the shared page reads are forgotten, so none read afterwards is the replica's for the writer.
    await noteWrite(actor).catch((error) => console.error(`[dal] after ${spec.action}: ${error instanceof Error ? error.message : error}`));
    forgetPageData();
    if (spec.afterCommit) {
      try {
        await spec.afterCommit(parsed.data, result);
      } catch (error) {
        console.error(`[dal] after ${spec.action} committed:`, error instanceof Error ? error.message : error);
      }
    }
    return result;
  };
  return Object.assign(write, { kernel: { action: spec.action } });
}

/** True for a function made by `mutation` (the test that every DAL write goes through the kernel asks this). */
export function isMutation(value: unknown): boolean {
  return typeof value === "function" && "kernel" in value;
}
