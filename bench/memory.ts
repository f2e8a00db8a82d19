// Resident memory of the server under test: the process the benchmark started and every process
// below it (scripts/start.ts runs `next start`, which may run cluster workers), read from /proc.
import fs from "node:fs";

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  return byParent;
}

function rssBytes(pid: number): number {
  try {
    const kb = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident bytes of `pid` and all its descendants (0 where /proc is not there). */
export function treeRssBytes(pid: number | undefined): number {
  if (pid === undefined || !fs.existsSync("/proc")) return 0;
  const byParent = children();
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += rssBytes(p);
    stack.push(...(byParent.get(p) ?? []));
  }
  return total;
}

/** Samples `treeRssBytes(pid)` every `everyMs` until stopped; the first sample and the peak. */
export function sampleRss(pid: number | undefined, everyMs = 100): { stop: () => { before: number; peak: number } } {
  const before = treeRssBytes(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssBytes(pid));
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, treeRssBytes(pid));
      return { before, peak };
    },
  };
}
