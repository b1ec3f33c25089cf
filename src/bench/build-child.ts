// A build in its own process for the benchmark: prints the report and the peak RSS as JSON.
import { runBuild } from '../cli/commands/build.js';

const [db, ...sources] = process.argv.slice(2);
const silent = { out: () => {}, err: () => {}, isTTY: false };
const report = await runBuild({ sources, db: db! }, silent);
process.stdout.write(JSON.stringify({ report, maxRssKb: process.resourceUsage().maxRSS }));
