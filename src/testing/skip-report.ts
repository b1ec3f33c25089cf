// A node:test reporter that names every skipped suite and test at the end of a run, with its reason
// and file. node:test's own summary counts skipped tests only: a suite skipped whole (the browser
// suites without Chromium, the corpus suites without ../shared) left "skipped 0" under a green run.
// Under CI a skip fails the run, unless its reason starts with `not here:` (a test that does not
// apply to this operating system or user, such as a Linux-only one elsewhere).
// `npm test` adds it beside the spec reporter: --test-reporter=./dist/testing/skip-report.js.

/** What a run reports of a test or suite (the part of node:test's events read here). */
interface TestEventData {
  name: string;
  file?: string;
  skip?: string | boolean;
  details?: { type?: string };
}

interface TestEvent {
  type: string;
  data: TestEventData;
}

/** A skip that is no gap in the run: the test does not apply here. */
export const notHere = 'not here:';

/** The report's lines, and whether the run must fail for them. */
export async function* skipReport(source: AsyncIterable<TestEvent>, ci: boolean, fail: () => void): AsyncGenerator<string> {
  const skipped: TestEventData[] = [];
  for await (const event of source)
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.skip !== undefined && event.data.skip !== false)
      skipped.push(event.data);
  if (!skipped.length) return;
  const suites = skipped.filter((s) => s.details?.type === 'suite').length;
  const gaps = skipped.filter((s) => !(typeof s.skip === 'string' && s.skip.startsWith(notHere)));
  const lines = skipped.map((s) => {
    const reason = typeof s.skip === 'string' ? s.skip : 'no reason given';
    return `!!   ${s.details?.type === 'suite' ? 'suite' : 'test'} "${s.name}" (${s.file ?? 'unknown file'}): ${reason}`;
  });
  yield [
    '',
    `!! SKIPPED, NOT RUN: ${suites} suite${suites === 1 ? '' : 's'} (with every test in them) and ${skipped.length - suites} test${skipped.length - suites === 1 ? '' : 's'}`,
    ...lines,
    !gaps.length
      ? '!! None of them applies to this machine or user (each says why); nothing is missing.'
      : ci
        ? `!! CI is set: ${gaps.length} of these skip for want of something this run needs; the run fails.`
        : '!! Install what they need (Chromium, the shared corpus at ../shared/corpus) to run them.',
    '',
  ].join('\n');
  if (ci && gaps.length) fail();
}

// An async generator function itself: node:test constructs a reporter that is a plain function, as a stream class.
export default async function* report(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  yield* skipReport(source, Boolean(process.env.CI), () => (process.exitCode = 1));
}
