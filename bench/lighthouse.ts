// Lighthouse (desktop preset, performance category only) on one signed-in page with Debian's
// Chromium: Largest Contentful Paint, Cumulative Layout Shift and Total Blocking Time, the median of
// a few runs, against the product targets. Each run is a fresh headless Chromium so no cache or
// service state carries over; the session cookie goes in as an extra header on every request.
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { desktopConfig } from "lighthouse";
import type { LighthouseMeasurement } from "./report";

const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The product targets for the overview (issue 8). */
export const LIGHTHOUSE_TARGETS = {
  lcp: { audit: "largest-contentful-paint", label: "Largest Contentful Paint", unit: "ms", max: 1500 },
  cls: { audit: "cumulative-layout-shift", label: "Cumulative Layout Shift", unit: "", max: 0.05 },
  tbt: { audit: "total-blocking-time", label: "Total Blocking Time", unit: "ms", max: 200 },
} as const;

type MetricKey = keyof typeof LIGHTHOUSE_TARGETS;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const show = (key: MetricKey, n: number) => (LIGHTHOUSE_TARGETS[key].unit === "ms" ? `${Math.round(n)} ms` : n.toFixed(3));

/** One Lighthouse navigation in a fresh Chromium; the metric values, or an error naming what went wrong. */
async function runOnce(url: string, cookie: string, chromePath: string): Promise<Record<MetricKey, number> & { warnings: string[] }> {
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROME_FLAGS, logLevel: "silent" });
  try {
    const result = await lighthouse(
      url,
      { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"], extraHeaders: { cookie } },
      desktopConfig,
    );
    if (!result) throw new Error("Lighthouse returned no result");
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    if (new URL(lhr.finalDisplayedUrl).pathname.startsWith("/login")) throw new Error("Lighthouse landed on /login: the session cookie was not accepted");
    const values = {} as Record<MetricKey, number>;
    for (const key of Object.keys(LIGHTHOUSE_TARGETS) as MetricKey[]) {
      const audit = lhr.audits[LIGHTHOUSE_TARGETS[key].audit];
      if (typeof audit?.numericValue !== "number") throw new Error(`Lighthouse did not measure ${LIGHTHOUSE_TARGETS[key].label}`);
      values[key] = audit.numericValue;
    }
    return { ...values, warnings: lhr.runWarnings };
  } finally {
    chrome.kill();
  }
}

export async function measureLighthouse(opts: { base: string; cookie: string; path: string; runs?: number }): Promise<{ measurements: LighthouseMeasurement[]; notes: string[] }> {
  const runs = Math.max(1, opts.runs ?? 3);
  const chromePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  const url = new URL(opts.path, opts.base).toString();
  const samples: Record<MetricKey, number>[] = [];
  const warnings = new Set<string>();
  let retries = 0;
  for (let i = 0; i < runs; i++) {
    let result;
    try {
      result = await runOnce(url, opts.cookie, chromePath);
    } catch (error) {
      // Lighthouse sometimes fails to record a trace (NO_NAVSTART); a run is retried once, and said so.
      if (retries >= runs) throw error;
      retries++;
      warnings.add(`a run failed and was repeated: ${error instanceof Error ? error.message : String(error)}`);
      i--;
      continue;
    }
    const { warnings: w, ...values } = result;
    samples.push(values);
    for (const line of w) warnings.add(line);
  }
  const measurements = (Object.keys(LIGHTHOUSE_TARGETS) as MetricKey[]).map((key) => {
    const target = LIGHTHOUSE_TARGETS[key];
    const values = samples.map((s) => s[key]);
    const value = median(values);
    return {
      name: `Lighthouse ${target.label} ${opts.path}`,
      metric: key,
      unit: target.unit,
      value,
      runs: values,
      target: `< ${show(key, target.max)}`,
      met: value < target.max,
    } satisfies LighthouseMeasurement;
  });
  const notes = [
    `Lighthouse ${opts.path} (desktop preset, simulated throttling, median of ${runs}): ` +
      measurements.map((m) => `${m.metric.toUpperCase()} ${show(m.metric as MetricKey, m.value)} (${m.met ? "meets" : "misses"} ${m.target})`).join(", "),
    ...[...warnings].map((w) => `Lighthouse warning: ${w}`),
  ];
  return { measurements, notes };
}
