// Writes one benchmark run to bench/results/<date>.json and docs/performance.md.
import fs from "node:fs";
import path from "node:path";

import type { LoadResult } from "./load";

export type Measurement = LoadResult & {
  name: string;
  floorP95: number | null;
  ratio: number | null;
  target?: string;
  eventsPerSecond?: number;
  /** For throughput rows: the floor's rate measured in the same run (raw set-based SQL). */
  floorEventsPerSecond?: number;
};

/** A latency row: the result, its floor's p95 and the ratio to it (when it has a floor), its target. */
export function measurement(name: string, result: LoadResult, floor: { p95: number } | null, target?: string): Measurement {
  return { name, ...result, floorP95: floor?.p95 ?? null, ratio: floor ? result.p95 / floor.p95 : null, target };
}

/** Whether a row meets its target ("p95 < N ms", "p99 < N ms", "≥ N events/s" or "≥ N % of the floor"); null when it has none. */
export function targetMet(m: Measurement): boolean | null {
  const latency = m.target?.match(/(p95|p99) < ([\d,]+) ms/);
  if (latency) return m[latency[1] as "p95" | "p99"] < Number(latency[2].replace(/,/g, ""));
  const share = m.target?.match(/≥ (\d+) % of the floor/);
  if (share && m.eventsPerSecond !== undefined && m.floorEventsPerSecond) return (m.eventsPerSecond / m.floorEventsPerSecond) * 100 >= Number(share[1]);
  const rate = m.target?.match(/≥ ([\d,]+) events\/s/);
  if (rate && m.eventsPerSecond !== undefined) return m.eventsPerSecond >= Number(rate[1].replace(/,/g, ""));
  return null;
}

const verdict = (m: Measurement) => {
  const met = targetMet(m);
  return met === null ? "" : met ? "met" : "**missed**";
};

/** One Lighthouse metric of one page: the median of `runs` (ms, or unitless for CLS) against its target. */
export type LighthouseMeasurement = {
  name: string;
  metric: string;
  unit: string;
  value: number;
  runs: number[];
  target: string;
  met: boolean;
};

export type BenchReport = {
  date: string;
  profile: "quick" | "full" | "ceiling";
  machine: { cores: number; memoryGiB: number; node: string };
  dataset: { devices: number; deployments: number; events: number; seedSeconds: number };
  rate: number;
  seconds: number;
  measurements: Measurement[];
  notes: string[];
  durationSeconds: number;
  /** From bench/lighthouse.ts, when it ran. */
  lighthouse?: LighthouseMeasurement[];
};

const ms = (n: number | null) => (n === null || Number.isNaN(n) ? "–" : n.toFixed(1));

function lighthouseRows(measurements: LighthouseMeasurement[] | undefined): string[] {
  if (!measurements?.length) return [];
  const value = (m: LighthouseMeasurement, n: number) => (m.unit === "ms" ? `${Math.round(n)} ms` : n.toFixed(3));
  return [
    "| Lighthouse (desktop) | median | runs | target | met |",
    "|---|---:|---|---|---|",
    ...measurements.map((m) => `| ${m.name} | ${value(m, m.value)} | ${m.runs.map((r) => value(m, r)).join(", ")} | ${m.target} | ${m.met ? "yes" : "no"} |`),
    "",
  ];
}

export function renderPerformanceMarkdown(report: BenchReport, choices = ""): string {
  const latencyRows = report.measurements.filter((m) => m.eventsPerSecond === undefined);
  const throughputRows = report.measurements.filter((m) => m.eventsPerSecond !== undefined);
  const rows = latencyRows.map(
    (m) =>
      `| ${m.name} | ${m.requests} | ${m.non2xx + m.errors} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.p99)} | ${ms(m.floorP95)} | ${m.ratio === null || Number.isNaN(m.ratio) ? "–" : `${m.ratio.toFixed(1)}×`} | ${m.target ?? ""} | ${verdict(m)} |`,
  );
  const rate = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("en"));
  const ingestRows = throughputRows.map(
    (m) =>
      `| ${m.name} | ${m.requests} | ${m.non2xx + m.errors} | ${rate(m.eventsPerSecond)} | ${rate(m.floorEventsPerSecond)} | ${m.floorEventsPerSecond ? `${Math.round((m.eventsPerSecond! / m.floorEventsPerSecond) * 100)} %` : "–"} | ${ms(m.p50)} | ${ms(m.p95)} | ${m.target ?? ""} | ${verdict(m)} |`,
  );
  return [
    report.profile === "ceiling" ? "# Performance at the ceiling (`npm run bench -- --profile ceiling`)" : "# Performance",
    "",
    "Written by `npm run bench` (do not edit by hand). Targets are the ones in the product brief;",
    "where we miss, the numbers say so. The floor of a page is the same reads straight from the",
    "data-access layer in the benchmark process (no HTTP, no rendering); the floor of the API routes is",
    "a trivial route through the whole Next.js stack.",
    "",
    `- Run: ${report.date} (${report.profile} profile, ${report.durationSeconds.toFixed(0)} s)`,
    `- Machine: ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, PostgreSQL on 127.0.0.1`,
    `- Data: ${report.dataset.devices.toLocaleString("en")} devices, ${report.dataset.deployments.toLocaleString("en")} deployments, ${report.dataset.events.toLocaleString("en")} status events (seeded in ${report.dataset.seedSeconds.toFixed(0)} s)`,
    `- Load: ${report.rate} requests/s for ${report.seconds} s per page, latencies in ms. Open loop: requests are due evenly`,
    "  spaced (one every 20 ms at 50/s) and go out on time whether or not earlier ones have answered, so a",
    "  server that falls behind builds a queue rather than slowing the load; each latency counts from the",
    "  time the request was due. The load generator runs on the same 2 cores as Node and PostgreSQL.",
    "",
    "| what | requests | errors | p50 | p95 | p99 | floor p95 | ratio | target | |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ...rows,
    "",
    ...(ingestRows.length
      ? [
          "Ingest: random devices × updates, batches posted two at a time; the floor is the raw set-based SQL (history insert + last-writer-wins upsert, nothing else) on the same database in the same run; latencies are per batch.",
          "",
          "| what | batches | failed | events/s | floor events/s | share of floor | p50 | p95 | target | |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
          ...ingestRows,
          "",
        ]
      : []),
    ...lighthouseRows(report.lighthouse),
    ...report.notes.map((n) => `- ${n}`),
    "",
    ...(choices ? [choices.trimEnd(), ""] : []),
  ].join("\n");
}

/** What was chosen to meet the targets and why, kept by hand in bench/performance-choices.md and appended to every report. */
export function readChoices(root: string): string {
  const file = path.join(root, "bench", "performance-choices.md");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}

/** The ceiling profile writes docs/performance-ceiling.md, so a full run's report stays beside it. */
export function writePerformanceReport(root: string, report: BenchReport): string {
  const results = path.join(root, "bench", "results");
  fs.mkdirSync(results, { recursive: true });
  fs.writeFileSync(path.join(results, `${report.date.slice(0, 19).replace(/:/g, "-")}${report.profile === "ceiling" ? "-ceiling" : ""}.json`), JSON.stringify(report, null, 2) + "\n");
  fs.mkdirSync(path.join(root, "docs"), { recursive: true });
  const doc = report.profile === "ceiling" ? "performance-ceiling.md" : "performance.md";
  fs.writeFileSync(path.join(root, "docs", doc), renderPerformanceMarkdown(report, report.profile === "ceiling" ? "" : readChoices(root)));
  return `docs/${doc}`;
}
