// `node --import tsx bench/cpuprofile-summary.ts <dir or .cpuprofile files> [--top N] [--views N] [--last SECONDS]`
// (issue #20 item 2): where a server's CPU went, from the V8 profiles `node --cpu-prof` writes on
// exit. Sums each sample's time into its function (self time), into the package or build chunk the
// function came from, into its original source file (through the source maps beside the build's
// chunks and Next.js's runtime), and inclusively into every source file on the sample's stack (so
// React's HTML render, its Flight render and the proxy each get their whole share). A directory written by
// bench/cpu-per-view.ts --cpu-prof or bench/headroom.ts --cpu-prof holds window.json: only the
// samples of the measured load count (not the server's start or warm-up), and every figure is
// divided by the views served in it, so the answer is milliseconds of CPU per view. Without it,
// `--last` keeps the last SECONDS before each profile ended and `--views` gives the divisor.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { SourceMapConsumer, type RawSourceMap } from "source-map-js";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** The package (node_modules/<name>), the build chunk, or the kind of frame a sample belongs to. */
export function bucketOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native/builtin)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (modules) {
    const [, name, rest] = modules;
    // Next.js ships React and its own server inside one package: name the compiled file instead.
    if (name === "next") {
      const compiled = /dist\/compiled\/([^/]+)\/([^/]+)$/.exec(rest);
      if (compiled) return `next/compiled/${compiled[1]}/${compiled[2]}`;
      const dist = /dist\/(server\/[^/]+|[^/]+)/.exec(rest);
      return `next/${dist ? dist[1] : rest}`;
    }
    return name;
  }
  const chunk = /\/(\.next[^/]*)\/(.*)$/.exec(url);
  if (chunk) return `build: ${chunk[2].replace(/[0-9a-f]{8,}|_[0-9a-z]{4,}\./gi, "…")}`;
  if (url.startsWith("node:")) return url;
  return url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "");
}

export type Summary = {
  sampledMs: number;
  byBucket: Map<string, number>;
  byFunction: Map<string, number>;
  /** Self time by original source file (through the build's and Next.js's source maps). */
  bySource: Map<string, number>;
  /** Time with a frame of the source file anywhere on the stack (each sample once per file). */
  underSource: Map<string, number>;
};

const consumers = new Map<string, SourceMapConsumer | null>();
/** The original file of a minified frame, from the `.map` beside its script; else the script's own bucket. */
export function sourceOf(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, "");
  if (!file.endsWith(".js")) return bucketOf(frame);
  let consumer = consumers.get(file);
  if (consumer === undefined) {
    consumer = fs.existsSync(`${file}.map`) ? new SourceMapConsumer(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")) as RawSourceMap) : null;
    consumers.set(file, consumer);
  }
  if (!consumer) return bucketOf(frame);
  const original = consumer.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
  if (!original.source) return bucketOf(frame);
  const source = original.source.replace(/^.*?node_modules\//, "").replace(/^(turbopack|webpack):\/\/+(\[project\]\/)?/, "").replace(/\?.*$/, "");
  return source.split("/").slice(-4).join("/");
}

/** Which samples count: those stamped inside [fromUs, toUs] (V8's monotonic clock), or the last `lastSeconds` of each profile. */
export type SampleWindow = { fromUs?: number; toUs?: number; lastSeconds?: number };

export function summarise(profiles: CpuProfile[], window: SampleWindow = {}): Summary {
  const summary: Summary = { sampledMs: 0, byBucket: new Map(), byFunction: new Map(), bySource: new Map(), underSource: new Map() };
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const from = Math.max(window.fromUs ?? -Infinity, window.lastSeconds === undefined ? -Infinity : profile.endTime - window.lastSeconds * 1e6);
    const to = window.toUs ?? Infinity;
    let at = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i];
      // A sample's time is the gap to the next one (the last sample gets its own delta).
      const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i]) / 1000;
      if (at < from || at > to) continue;
      const node = nodes.get(profile.samples[i])!;
      if (node.callFrame.functionName === "(idle)") continue;
      summary.sampledMs += ms;
      const bucket = bucketOf(node.callFrame);
      add(summary.byBucket, bucket, ms);
      const name = node.callFrame.functionName || "(anonymous)";
      add(summary.byFunction, `${name}  [${bucket}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ""}]`, ms);
      add(summary.bySource, sourceOf(node.callFrame), ms);
      const seen = new Set<string>();
      for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
        const frame = nodes.get(id)!.callFrame;
        if (!frame.url) continue;
        const source = sourceOf(frame);
        if (!seen.has(source)) add(summary.underSource, source, ms);
        seen.add(source);
      }
    }
  }
  return summary;
}

function table(title: string, map: Map<string, number>, total: number, top: number, perView: number) {
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  const unit = perView > 1 ? "ms/view" : "ms";
  console.log(`\n${title}`);
  for (const [key, ms] of rows) console.log(`  ${(ms / perView).toFixed(2).padStart(8)} ${unit}  ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
}

function main() {
  const { values, positionals } = parseArgs({
    options: { last: { type: "string" }, top: { type: "string", default: "25" }, views: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  const files: string[] = [];
  let window: SampleWindow = {};
  let views = values.views === undefined ? 1 : Number(values.views);
  for (const p of positionals) {
    if (!fs.statSync(p).isDirectory()) {
      files.push(p);
      continue;
    }
    files.push(...fs.readdirSync(p).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(p, f)));
    const windowFile = path.join(p, "window.json");
    if (fs.existsSync(windowFile)) {
      const measured = JSON.parse(fs.readFileSync(windowFile, "utf8")) as { fromUs: number; toUs: number; views: number };
      window = { fromUs: measured.fromUs, toUs: measured.toUs };
      if (values.views === undefined) views = measured.views;
    }
  }
  if (files.length === 0) throw new Error("no .cpuprofile files given");
  if (values.last !== undefined) window = { ...window, lastSeconds: Number(values.last) };
  const profiles = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as CpuProfile);
  const summary = summarise(profiles, window);
  const top = Number(values.top);
  console.log(`${files.length} profiles, ${summary.sampledMs.toFixed(0)} ms sampled (not idle)${views > 1 ? `, ${(summary.sampledMs / views).toFixed(2)} ms per view over ${views} views` : ""}`);
  table("by package or build chunk (self time)", summary.byBucket, summary.sampledMs, top, views);
  table("by original source file (self time, through source maps)", summary.bySource, summary.sampledMs, top, views);
  table("by original source file on the stack (inclusive)", summary.underSource, summary.sampledMs, top * 2, views);
  table("by function (self time)", summary.byFunction, summary.sampledMs, top, views);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("cpuprofile-summary.ts")) main();
