// Every write a person or token makes goes through the write kernel (lib/dal/mutation.ts): it
// authorises, validates, writes and audits in one transaction. This test reads the data-access
// layer and fails when a new write path opens its own transaction or exports a write that is not
// a kernel mutation.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isMutation } from "@/lib/dal/mutation";

const root = path.resolve(import.meta.dirname, "../..");

/** Transactions that are not a caller's write, each with the reason it keeps its own. */
const OWN_TRANSACTIONS: Record<string, string> = {
  "lib/dal/mutation.ts": "the kernel itself",
  "lib/deployments/ingest.ts": "the status-event batch: set-based, with its own idempotency record; it uses the kernel's audit and error pieces",
  "lib/deployments/summaries.ts": "verify-summaries --repair, run by an operator from the CLI",
  "lib/rollouts/lifecycle.ts": "the scheduler's auto-start of due waves, a system job with no caller",
  "lib/rollouts/deadline-watch.ts": "announcing a wave whose deadline forecast turned at risk, a system job with no caller",
  "lib/auth/sign-in.ts": "sign-in bookkeeping (attempts, single sign-on link) before there is an actor",
  "lib/seed/demo.ts": "the demo scenario, written into an empty database by the start script or the CLI; no actor",
  "lib/seed/scale.ts": "the benchmark scale seed, run from the CLI; no actor",
  "lib/auth/throttle.ts": "a sign-in attempt is reserved under a lock before the password is checked; there is no actor yet",
};

/** Exports whose names read like a write but are not one a caller makes. */
const NOT_A_WRITE: Record<string, string> = {
  "lib/audit/log.ts: recordAudit": "the audit piece the kernel and the ingest batch share",
  "lib/deployments/gates-hook.ts: setGateEvaluator": "wiring of the gate check into ingest at start",
  "lib/deployments/ingest-csv.ts: importStatusEventsCsv": "the status-event batch path (CSV in, the same batch as the API)",
};

/** Exported names that read like a write. */
const WRITE_NAME = /^(create|add|edit|update|set|record|release|import|save|perform|revoke|reset|change|delete|remove|link|promote|pause|resume|cancel)[A-Z]/;

function libFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && !/test-fixtures|test-support/.test(full)) out.push(full);
    }
  };
  walk(path.join(root, "lib"));
  return out;
}

describe("every write goes through the kernel", () => {
  it("no data-access file opens a transaction of its own, except the listed system paths", () => {
    const offenders = libFiles()
      .filter((file) => /\.transaction\(/.test(fs.readFileSync(file, "utf8")))
      .map((file) => path.relative(root, file))
      .filter((file) => !(file in OWN_TRANSACTIONS));
    expect(offenders).toEqual([]);
  });

  it("every exported write of the data-access layer is a kernel mutation", async () => {
    const notKernel: string[] = [];
    for (const file of libFiles()) {
      const text = fs.readFileSync(file, "utf8");
      if (!text.includes('import "server-only"')) continue;
      const names = [...text.matchAll(/export (?:async function|const|function) (\w+)/g)].map((m) => m[1]).filter((n) => WRITE_NAME.test(n));
      if (names.length === 0) continue;
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      for (const name of names) {
        const label = `${path.relative(root, file)}: ${name}`;
        if (typeof mod[name] === "function" && !isMutation(mod[name]) && !(label in NOT_A_WRITE)) notKernel.push(label);
      }
    }
    expect(notKernel).toEqual([]);
  }, 120_000);
});
