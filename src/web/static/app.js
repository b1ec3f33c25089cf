// Loaded as a module script (the build compiles it with `export {}` appended).
// Progressive enhancement only: every page works without this script.
// - Explore: changing the sort submits the search form.
// - "/" focuses the search box.
document.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute('data-autosubmit') && target.form) target.form.requestSubmit();
});
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const active = document.activeElement;
  if (active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA' || active.tagName === 'SELECT')) return;
  const box = document.getElementById('q');
  if (box instanceof HTMLInputElement) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
// - Rule page: "Wrap long lines" (CSS does the wrapping) is remembered for the next pages.
const wrapBox = document.getElementById('wrap-code');
if (wrapBox instanceof HTMLInputElement) {
  try {
    if (localStorage.getItem('ruleatlas.wrapCode') === '1') wrapBox.checked = true;
    wrapBox.addEventListener('change', () => localStorage.setItem('ruleatlas.wrapCode', wrapBox.checked ? '1' : '0'));
  } catch {
    // Storage refused (private mode, a policy): the box still works for this page.
  }
}
// - Watch mode (`serve --watch`): reload the page once the catalog it shows has been replaced.
const live = document.querySelector('meta[name="ruleatlas-live"]');
if (live) {
  const shown = live.getAttribute('content');
  const poll = async () => {
    try {
      const res = await fetch('/api/version', { cache: 'no-store' });
      const { version } = await res.json();
      if (version !== shown) return location.reload();
    } catch {
      // The server is restarting or busy rebuilding: try again.
    }
    setTimeout(() => void poll(), 1000);
  };
  setTimeout(() => void poll(), 1000);
}
// - Try an event (rule page) and What fires (/fire): the pasted event is posted to the JSON API and
//   the answer shown. Event values are hostile input: only text nodes are written, never markup.
/** An element with a class and children (strings become text nodes). */
const el = (tag, className, ...children) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
};
const shown = (v) => {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
};
const codes = (values) => {
  const cell = el('td');
  values.forEach((v, i) => {
    if (i) cell.append(', ');
    cell.append(el('code', '', shown(v)));
  });
  return cell;
};
const firesBadge = (fires) => el('span', `badge fires fires-${fires}`, `fires: ${fires}`);
/** One evaluation (`fires`, `source`, `trace`, `unevaluated`, and the log) as the Tests section shows it. */
const traceBlock = (e) => {
  const block = el('div', 'trace');
  const log = `log: ${e.logType ?? 'not known'} (${e.how}); source: ${String(e.source.matched)}${e.source.reason ? ` (${e.source.reason})` : ''}`;
  block.append(el('p', '', firesBadge(e.fires), ' ', el('span', 'muted small', log)));
  if (e.unevaluated.length)
    block.append(el('ul', 'plain small', ...e.unevaluated.map((g) => el('li', '', `Not evaluated: ${g.stage} (${g.what}): ${g.reason}`))));
  if (!e.trace.length) {
    block.append(el('p', 'muted small', 'No predicate was evaluated.'));
    return block;
  }
  const head = el('tr', '', ...['Field', 'Operator', 'Values', 'Seen', 'Matched'].map((h) => el('th', '', h)));
  const rows = e.trace.map((t) =>
    el(
      'tr',
      '',
      el('td', '', el('code', '', t.field)),
      el('td', '', el('code', '', `${t.negated ? 'not ' : ''}${t.op}`)),
      codes(t.values),
      t.seen === 'missing' ? el('td', '', el('span', 'muted', 'missing')) : codes(t.seen),
      el('td', `matched-${String(t.matched)}`, String(t.matched), t.note ? el('span', 'muted small', ` ${t.note}`) : undefined),
    ),
  );
  block.append(el('div', 'scroll', el('table', 'grid trace-table', el('thead', '', head), el('tbody', '', ...rows))));
  return block;
};
/** /api/rules/<id>/test: the rule on each event. */
const ruleAnswer = (answer) => answer.events.map((e) => el('div', 'evaluated-event', el('h3', '', `Event ${e.event + 1}`), traceBlock(e)));
/** Rules by platform, most rules first, each rule folded with its trace (built when first opened: there may be hundreds). */
const byPlatform = (rules, platformNames, e) => {
  const groups = new Map();
  for (const rule of rules) groups.set(rule.platform, [...(groups.get(rule.platform) ?? []), rule]);
  return [...groups]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([platform, list]) => {
      const items = list.map((rule) => {
        const link = el('a', '', rule.name || rule.nativeId);
        link.href = `/rules/${encodeURIComponent(rule.id)}`;
        const mapped = rule.mapped ? el('span', 'badge', `mapped${rule.mappedTo?.schema ? ` to ${rule.mappedTo.schema}` : ''}`) : undefined;
        const details = el('details', '', el('summary', '', firesBadge(rule.fires), ' ', link, mapped ? ' ' : '', mapped));
        details.addEventListener('toggle', () => {
          if (details.open && !details.querySelector('.trace')) details.append(traceBlock({ ...rule, logType: e.logType, how: e.how }));
        });
        return el('li', 'fired-rule', details);
      });
      return el(
        'section',
        'fired-platform',
        el('h4', '', `${platformNames[platform] ?? platform} (${list.length})`),
        el('ul', 'plain fired-rules', ...items),
      );
    });
};
/** /api/fire: per event, the rules that fire by platform, then those that may (unknown) folded. */
const fireAnswer = (answer, platformNames) =>
  answer.map((e) => {
    const yes = e.rules.filter((r) => r.fires === 'yes');
    const open = e.rules.filter((r) => r.fires !== 'yes');
    const part = el('div', 'evaluated-event');
    part.append(el('h2', '', `Event ${e.event + 1}: ${yes.length} fire, ${open.length} may (unknown)`));
    part.append(el('p', 'muted small', `log: ${e.logType ?? 'not known'} (${e.how})`));
    part.append(
      yes.length ? el('div', 'fired-yes', ...byPlatform(yes, platformNames, e)) : el('p', 'muted', 'No rule fires on this event.'),
    );
    if (open.length)
      part.append(
        el(
          'details',
          'fired-unknown',
          el(
            'summary',
            '',
            `${open.length} rules may fire: their answer depends on what is not evaluated (often the event's log, unless named)`,
          ),
          ...byPlatform(open, platformNames, e),
        ),
      );
    return part;
  });
for (const form of document.querySelectorAll('form[data-evaluate]')) {
  const button = form.querySelector('button[type="submit"]');
  const out = document.getElementById(form.getAttribute('data-result') ?? '');
  if (!(button instanceof HTMLButtonElement) || !out) continue;
  button.disabled = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const logType = form.querySelector('input[name="logType"]')?.value.trim() ?? '';
    const url = `${form.getAttribute('data-url')}${logType ? `?logType=${encodeURIComponent(logType)}` : ''}`;
    const body = form.querySelector('textarea[name="event"]')?.value ?? '';
    try {
      JSON.parse(body);
    } catch (err) {
      // Said here, without a round trip; the server would answer 400 with the same reason.
      out.replaceChildren(el('p', 'search-error', `The event is not valid JSON: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    out.replaceChildren(el('p', 'muted', 'Evaluating…'));
    button.disabled = true;
    void (async () => {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const answer = await res.json();
        if (!res.ok) out.replaceChildren(el('p', 'search-error', answer?.error ?? `The server answered ${res.status}.`));
        else if (form.getAttribute('data-evaluate') === 'rule') out.replaceChildren(...ruleAnswer(answer));
        else out.replaceChildren(...fireAnswer(answer, JSON.parse(form.getAttribute('data-platforms') ?? '{}')));
      } catch {
        out.replaceChildren(el('p', 'search-error', 'The server could not be reached, or its answer was not JSON.'));
      } finally {
        button.disabled = false;
      }
    })();
  });
}
// - Tests of a Panther Python rule (rule page): the page shows our model's answers; the tests are run
//   by the rule's code (POST /api/rules/<id>/test, on the server's Python runner) and their answers
//   replace the model's. Test names and reasons come from rule files: text nodes only.
const testItem = (t) => {
  const kind = t.kind === 'panther' ? 'Panther test' : 'Sigma regression sample';
  const item = el(
    'li',
    'test-item',
    el('div', '', el('span', `badge test-${t.result}`, t.result), ' ', el('strong', '', t.name), ' ', el('span', 'muted small', kind)),
    el('p', 'small', 'Expected ', el('strong', '', t.expected), ', got ', el('strong', '', t.got), `: ${t.reason}`),
  );
  if (t.events.length) {
    const traced = t.events.length < t.eventCount ? ` (the first ${t.events.length} of ${t.eventCount} events)` : '';
    item.append(
      el(
        'details',
        '',
        el('summary', '', `Trace${traced}`),
        ...t.events.flatMap((e) => [el('h4', 'small', `Event ${e.event + 1}`), traceBlock(e)]),
      ),
    );
  }
  return item;
};
for (const run of document.querySelectorAll('[data-tests-run]')) {
  const status = run.querySelector('.tests-run-status');
  if (status) status.textContent = "Running the tests by the rule's Python code (the first run starts Python: a few seconds)…";
  void (async () => {
    try {
      const res = await fetch(run.getAttribute('data-tests-run') ?? '', { method: 'POST' });
      const answer = await res.json();
      if (!res.ok) throw new Error(answer?.error ?? `the server answered ${res.status}`);
      const count = (r) => answer.tests.filter((t) => t.result === r).length;
      run.replaceChildren(
        el('p', 'muted small tests-run-status', "Run by the rule's Python code."),
        el('p', 'small', `${count('passed')} passed, ${count('failed')} failed, ${count('unknown')} unknown`),
        el('ul', 'plain tests', ...answer.tests.map(testItem)),
      );
    } catch (err) {
      if (status)
        status.textContent = `Our model's answers: the tests could not be run by the rule's code (${err instanceof Error ? err.message : String(err)}).`;
    }
  })();
}
