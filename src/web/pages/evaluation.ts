// Would it fire, on pages: the rule page's Tests (its stored tests run against it, each with its
// trace, collapsed) and Try an event, and the /fire page. The forms post to the JSON API from the
// static script (app.js: the CSP allows no inline script); without it the button stays disabled and
// a note says where to post. Event values are hostile input: everything here goes through `html`,
// and the script writes text nodes only.
import { catalogTests } from '../../evaluate/catalog-tests.js';
import type { StoredTest } from '../../evaluate/stored-tests.js';
import { ruleStoredTests, type RuleEventJson, type StoredTestJson } from '../../evaluate/fire-report.js';
import { evaluatorFor } from '../../languages/evaluate.js';
import type { Rule } from '../../model/types.js';
import { platforms } from '../../platforms/registry.js';
import { clipText, plural, section, shownChars } from '../components.js';
import type { WebContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { languageName } from '../labels.js';
import { layout } from '../layout.js';

/** Milliseconds a rule page spends running the rule's stored tests. */
const testsLimitMs = 2000;

const shown = (v: unknown) => clipText(typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)), shownChars.value);

function firesBadge(fires: string): SafeHtml {
  return html`<span class="badge fires fires-${fires}">fires: ${fires}</span>`;
}

/** One event's evaluation: the answer, the log, why it is open, and each predicate as seen. */
function traceBlock(e: RuleEventJson): SafeHtml {
  const rows = e.trace.map(
    (t) =>
      html`<tr><td><code>${t.field}</code></td><td><code>${t.negated ? 'not ' : ''}${t.op}</code></td><td>${t.values.map((v, i) => html`${i ? ', ' : ''}<code>${shown(v)}</code>`)}</td><td>${t.seen === 'missing' ? html`<span class="muted">missing</span>` : t.seen.map((v, i) => html`${i ? ', ' : ''}<code>${shown(v)}</code>`)}</td><td class="matched-${String(t.matched)}">${String(t.matched)}${t.note ? html` <span class="muted small">${t.note}</span>` : ''}</td></tr>`,
  );
  return html`<div class="trace">
<p>${firesBadge(e.fires)} <span class="muted small">log: ${e.logType ?? 'not known'} (${e.how}); source: ${String(e.source.matched)}${e.source.reason ? ` (${e.source.reason})` : ''}</span></p>
${e.unevaluated.length ? html`<ul class="plain small">${e.unevaluated.map((g) => html`<li>Not evaluated: ${g.stage} (${g.what}): ${g.reason}</li>`)}</ul>` : ''}
${rows.length ? html`<div class="scroll"><table class="grid trace-table"><thead><tr><th scope="col">Field</th><th scope="col">Operator</th><th scope="col">Values</th><th scope="col">Seen</th><th scope="col">Matched</th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="muted small">No predicate was evaluated.</p>`}
</div>`;
}

function testItem(t: StoredTestJson): SafeHtml {
  const kind = t.kind === 'panther' ? 'Panther test' : 'Sigma regression sample';
  const traced = t.events.length < t.eventCount ? ` (the first ${t.events.length} of ${t.eventCount} events)` : '';
  return html`<li class="test-item">
<div><span class="badge test-${t.result}">${t.result}</span> <strong>${t.name}</strong> <span class="muted small">${kind}</span></div>
<p class="small">Expected <strong>${t.expected}</strong>, got <strong>${t.got}</strong>: ${t.reason}</p>
${t.events.length ? html`<details><summary>Trace${traced}</summary>${t.events.map((e) => html`<h4 class="small">Event ${e.event + 1}</h4>${traceBlock(e)}`)}</details>` : ''}
</li>`;
}

/** The rule's stored tests, run against it, each with its trace; nothing when it has none. */
export function testsSection(ctx: WebContext, rule: Rule): SafeHtml | '' {
  const tests = catalogTests(ctx.store).testsOf(rule);
  if (!tests.length) return '';
  const run = ruleStoredTests(rule, tests, { deadline: performance.now() + testsLimitMs });
  const intro = `The tests stored with the rule (${plural(tests.length, 'test')}), run against it as ruleatlas test runs them; the trace shows each predicate on the test's events.`;
  if ('stopped' in run)
    return section(
      'tests',
      'Tests',
      html`<p class="muted">Running the tests took longer than ${testsLimitMs} ms (${run.stopped.evaluated} of ${run.stopped.total} ran): see <code>ruleatlas test</code>.</p>`,
      intro,
    );
  const count = (r: StoredTestJson['result']) => run.filter((t) => t.result === r).length;
  const results = html`<p class="small">${count('passed')} passed, ${count('failed')} failed, ${count('unknown')} unknown</p><ul class="plain tests">${run.map(testItem)}</ul>`;
  if (!runsPythonTests(rule, tests)) return section('tests', 'Tests', results, intro);
  // A Panther Python rule's tests run by its code on the server's runner, which is asynchronous (and
  // starts Pyodide, seconds, on its first run): the page shows our model's answers, and the script
  // (app.js) replaces them with the real run's answers from POST /api/rules/<id>/test.
  const url = `/api/rules/${encodeURIComponent(rule.id)}/test`;
  return section(
    'tests',
    'Tests',
    html`<div class="tests-run" data-tests-run="${url}"><p class="muted small tests-run-status">Our model's answers: the page's script runs the tests by the rule's Python code (<code>POST ${url}</code>) and shows that run's answers here.</p>${results}</div>`,
    intro,
  );
}

/** Whether some of the rule's tests are Panther tests of a Python rule: the API runs those by the rule's code. */
function runsPythonTests(rule: Rule, tests: readonly StoredTest[]): boolean {
  return rule.language === 'python' && tests.some((t) => t.kind === 'panther' && t.python !== undefined);
}

/** A form that posts a pasted event to the API; `kind` tells the script how to show the answer. */
function evaluateForm(kind: 'rule' | 'fire', url: string, extra: SafeHtml | ''): SafeHtml {
  return html`<form class="evaluate" data-evaluate="${kind}" data-url="${url}" data-result="${kind}-result"${extra}>
<label class="evaluate-field">Event (JSON: an object, or an array of them)
<textarea name="event" rows="10" spellcheck="false" required placeholder='{"Channel": "Microsoft-Windows-Sysmon/Operational", "EventID": 1, "CommandLine": "whoami /all"}'></textarea></label>
<label class="evaluate-field">Log type <span class="muted small">(optional: a table, a Sigma logsource path such as <code>aws/cloudtrail</code>, an index; else recognised by the event's shape)</span>
<input name="logType" type="text" maxlength="200" autocomplete="off" spellcheck="false"></label>
<button class="btn primary" type="submit" disabled>Evaluate</button>
<noscript><p class="muted small">This form needs the page's script. Without it, POST the event as JSON to <code>${url}</code>.</p></noscript>
</form>
<div class="evaluate-result" id="${kind}-result" aria-live="polite"></div>`;
}

/** Try an event: the rule evaluated on a pasted event (POST /api/rules/<id>/test). */
export function tryEventSection(rule: Rule): SafeHtml {
  const intro = 'Paste an event: the server evaluates this rule on it (its log source first) and shows whether it fires, with the trace.';
  if (!evaluatorFor(rule.language))
    return section('try', 'Try an event', html`<p class="muted">${languageName(rule.language)} rules are not evaluated yet.</p>`, intro);
  return section('try', 'Try an event', evaluateForm('rule', `/api/rules/${encodeURIComponent(rule.id)}/test`, ''), intro);
}

/** What fires on this event? Every rule that fires (or may) on a pasted event, by platform (POST /api/fire). */
export function renderFire(ctx: WebContext): string {
  const names = JSON.stringify(Object.fromEntries(platforms.map((p) => [p.id, p.name])));
  const body = html`<h1>What fires on this event?</h1>
<p class="intro">Paste an event: every rule of the catalog whose language can be evaluated is tried on it, its log source first, and the rules that fire (<strong>yes</strong>) or may fire (<strong>unknown</strong>: the answer depends on what is not evaluated) are listed by platform, with each predicate's trace.</p>
<section class="card">${evaluateForm('fire', '/api/fire', html` data-platforms="${names}"`)}</section>`;
  return layout(ctx.assets, { title: 'What fires on this event?', nav: 'fire', body }).toString();
}
