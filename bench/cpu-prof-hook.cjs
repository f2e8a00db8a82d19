// Preloaded into the server under test (NODE_OPTIONS=--require …, where Node refuses --cpu-prof) by
// bench/cpu-per-view.ts and bench/headroom.ts with --cpu-prof: samples this process's CPU from its
// start and writes a V8 .cpuprofile into CPU_PROF_DIR when it exits (bench/cpuprofile-summary.ts reads it).
const dir = process.env.CPU_PROF_DIR;
if (dir) {
  const fs = require("node:fs");
  const path = require("node:path");
  const inspector = require("node:inspector");
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.start");
  // An in-process session answers synchronously, so the profile is written before the exit completes.
  process.on("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (error || !result) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
