// Loaded with `--import` into a benchmarked process through NODE_OPTIONS, so that the processes it
// starts load it too: at exit each writes its own resource usage to RULEATLAS_BENCH_USAGE_DIR/<pid>.json.
// Node cannot read a child's rusage, and /proc of a process is gone once it has exited.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.RULEATLAS_BENCH_USAGE_DIR;
if (dir) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const record = { pid: process.pid, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime, maxRssKb: usage.maxRSS };
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(record));
  });
}
