// CPU time of processes from /proc (Linux): the server's process tree and PostgreSQL's backends of
// one database. CPU time rather than latency, so a figure holds on a machine other work also uses.
import fs from "node:fs";

export const TICK_MS = 1000 / 100; // USER_HZ: /proc reports CPU time in 1/100 s

/** CPU milliseconds (user + system) of `pids` and everything below them, from /proc. */
export function cpuMs(pids: number[]): number {
  const byParent = new Map<number, number[]>();
  const times = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
      times.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // ended meanwhile
    }
  }
  let total = 0;
  const stack = [...pids];
  while (stack.length) {
    const pid = stack.pop()!;
    total += times.get(pid) ?? 0;
    stack.push(...(byParent.get(pid) ?? []));
  }
  return total;
}

/** CPU ms of one process, or undefined once it has ended. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/**
 * CPU of the PostgreSQL backends serving this benchmark's database while it runs, including backends
 * that connect or end meanwhile (pools close idle connections after 30 s): their process titles name
 * the database; polled every 50 ms, each backend's last reading counts.
 */
export function pgCpu(database: string) {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const poll = (initial: boolean) => {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (!last.has(pid)) {
        let title = "";
        try {
          title = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          continue;
        }
        if (!title.startsWith("postgres:") || !title.includes(` ${database} `)) continue;
      }
      const cpu = processCpuMs(pid);
      if (cpu === undefined) continue;
      if (!first.has(pid)) first.set(pid, initial ? cpu : 0);
      last.set(pid, cpu);
    }
  };
  poll(true);
  const timer = setInterval(() => poll(false), 50);
  return {
    stop: () => {
      clearInterval(timer);
      poll(false);
      let total = 0;
      for (const [pid, cpu] of last) total += cpu - (first.get(pid) ?? 0);
      return total;
    },
  };
}

/**
 * Now on the clock V8's CPU profiles are stamped with (CLOCK_MONOTONIC, microseconds), which every
 * process on the machine shares: a load's window here selects its samples in the server's profile.
 */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
