// A build in its own process for the benchmark: prints the report as JSON (CPU time and peak RSS
// are measured from outside, by measure.ts, the same way as for the peer).
import { holdYoungGeneration } from '../pipeline/young-generation.js';

// As bin/ruleatlas.js holds a build's semi-spaces: before the build's modules are loaded.
holdYoungGeneration();
const { runBuild } = await import('../cli/commands/build.js');
const [db, ...sources] = process.argv.slice(2);
const silent = { out: () => {}, err: () => {}, isTTY: false };
const report = await runBuild({ sources, db: db! }, silent);
process.stdout.write(JSON.stringify(report));
