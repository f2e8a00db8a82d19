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
  profile: "quick" | "full";
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

export function renderPerformanceMarkdown(report: BenchReport): string {
  const rows = report.measurements.map(
    (m) =>
      `| ${m.name} | ${m.requests} | ${m.non2xx + m.errors} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.p99)} | ${ms(m.floorP95)} | ${m.ratio === null ? "–" : `${m.ratio.toFixed(1)}×`} | ${m.target ?? ""} |`,
  );
  return [
    "# Performance",
    "",
    "Written by `npm run bench` (do not edit by hand). Targets are the ones in the product brief;",
    "where we miss, the numbers say so. The floor of a page is the same reads straight from the",
    "data-access layer in the benchmark process (no HTTP, no rendering); the floor of the API routes is",
    "a trivial route through the whole Next.js stack.",
    "",
    `- Run: ${report.date} (${report.profile} profile, ${report.durationSeconds.toFixed(0)} s)`,
    `- Machine: ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, PostgreSQL on 127.0.0.1`,
    `- Data: ${report.dataset.devices.toLocaleString("en")} devices, ${report.dataset.deployments.toLocaleString("en")} deployments, ${report.dataset.events.toLocaleString("en")} status events (seeded in ${report.dataset.seedSeconds.toFixed(0)} s)`,
    `- Load: ${report.rate} requests/s for ${report.seconds} s per page, 10 connections, latencies in ms`,
    "",
    "| what | requests | errors | p50 | p95 | p99 | floor p95 | ratio | target |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ...rows,
    "",
    ...lighthouseRows(report.lighthouse),
    ...report.notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
}

export function writePerformanceReport(root: string, report: BenchReport): void {
  const results = path.join(root, "bench", "results");
  fs.mkdirSync(results, { recursive: true });
  fs.writeFileSync(path.join(results, `${report.date.slice(0, 19).replace(/:/g, "-")}.json`), JSON.stringify(report, null, 2) + "\n");
  fs.mkdirSync(path.join(root, "docs"), { recursive: true });
  fs.writeFileSync(path.join(root, "docs", "performance.md"), renderPerformanceMarkdown(report));
}
