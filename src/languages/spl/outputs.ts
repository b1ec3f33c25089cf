// The fields a search returns, followed through its main pipeline.
//
// Until a command fixes the field list (`table`, `fields +`, `stats`, `tstats`), events keep all
// their fields and we only know the fields commands add (`eval`, `rex`, `lookup OUTPUT`, `spath
// output=`, `eventstats`, `rename` targets). Once fixed, later commands edit that list:
// `fields -` removes, `rename` renames (also `a.* as *` patterns), `drop_dm_object_name(X)`
// strips the `X.` prefix. Each field keeps the command that first produced it as `source`.

import type { OutputField } from '../../model/types.js';
import type { Aggregate, Command, StatsPart } from './ast.js';
import { DROP_PREFIX_MACRO } from './macros.js';
import { compileGlob } from '../../model/glob.js';

/** Commands that replace the event fields by their results. */
const TRANSFORMING = new Set(['stats', 'tstats', 'mstats']);

/** Each `*` captured: a rename's target takes what the source's wildcards matched. */
const captureGlob = (pattern: string) => compileGlob(pattern);

/** The new name of `field` under `rename from as to`, or null when the rename does not apply. */
function renamed(field: string, from: string, to: string): string | null {
  if (!from.includes('*')) return field === from ? to : null;
  const m = captureGlob(from).exec(field);
  if (!m) return null;
  let i = 1;
  return to.replace(/\*/g, () => m[i++] ?? '');
}

function aggregateName(agg: Aggregate): string {
  if (agg.alias) return agg.alias;
  return agg.args === null ? agg.fn : `${agg.fn}(${agg.args})`;
}

function statsFields(parts: StatsPart[]): { aggs: string[]; by: string[] } {
  const aggs: string[] = [];
  const by: string[] = [];
  for (const p of parts) {
    if (p.k === 'agg') aggs.push(aggregateName(p.agg));
    else if (p.k === 'by') by.push(...p.fields);
  }
  return { aggs, by };
}

/** Names of the capture groups of a regular expression: `(?<name>...)` or `(?P<name>...)`. */
export function captureGroups(regex: string): string[] {
  const out: string[] = [];
  for (const m of regex.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)) out.push(m[1]!);
  return out;
}

export function outputsOf(commands: Command[]): OutputField[] {
  // null: all event fields pass (unknown list); `added` then holds what commands add.
  let fixed: Map<string, string> | null = null;
  let added = new Map<string, string>();
  const current = (): Map<string, string> => fixed ?? added;
  const add = (field: string, source: string) => {
    const m = current();
    if (field && !m.has(field)) m.set(field, source);
  };
  const replaceCurrent = (next: Map<string, string>) => {
    if (fixed) fixed = next;
    else added = next;
  };
  const fix = (fields: string[], source: string) => {
    const next = new Map<string, string>();
    for (const f of fields) {
      if (f.includes('*') && fixed) {
        const re = captureGlob(f);
        const matches = [...fixed].filter(([name]) => re.test(name));
        for (const [name, src] of matches) if (!next.has(name)) next.set(name, src);
        if (matches.length > 0) continue;
      }
      if (f && !next.has(f)) next.set(f, fixed?.get(f) ?? added.get(f) ?? source);
    }
    fixed = next;
  };
  const rename = (map: (field: string) => string | null, source: string | null) => {
    const next = new Map<string, string>();
    for (const [name, src] of current()) {
      const to = map(name);
      if (to === null) {
        if (!next.has(name)) next.set(name, src);
      } else if (to) next.set(to, source ?? src);
    }
    replaceCurrent(next);
  };

  for (const cmd of commands) {
    switch (cmd.cmd) {
      case 'tstats':
      case 'stats': {
        const { aggs, by } = statsFields(cmd.parts);
        if (TRANSFORMING.has(cmd.name)) {
          fixed = new Map();
          for (const f of [...aggs, ...by]) if (!fixed.has(f)) fixed.set(f, cmd.name);
        } else {
          for (const f of aggs) add(f, cmd.name);
        }
        break;
      }
      case 'table':
        fix(cmd.fields, 'table');
        break;
      case 'fields':
        if (cmd.sign === '+') fix(cmd.fields, 'fields');
        else {
          const res = cmd.fields.map((f) => captureGlob(f));
          replaceCurrent(new Map([...current()].filter(([name]) => !res.some((re) => re.test(name)))));
        }
        break;
      case 'eval':
        for (const a of cmd.assigns) add(a.target, 'eval');
        break;
      case 'rename':
        for (const { from, to } of cmd.pairs) {
          const known = [...current().keys()].some((name) => renamed(name, from, to) !== null);
          if (known) rename((name) => renamed(name, from, to), 'rename');
          else if (!to.includes('*')) add(to, 'rename');
        }
        break;
      case 'lookup':
        for (const o of cmd.outputs) add(o.alias ?? o.field, 'lookup');
        break;
      case 'rex':
        if (!cmd.opts.some((o) => o.opt === 'mode' && o.value === 'sed') && cmd.regex !== null) {
          for (const g of captureGroups(cmd.regex)) add(g, 'rex');
        }
        break;
      case 'spath':
        for (const o of cmd.opts) if (o.opt === 'output' && o.value) add(o.value, 'spath');
        break;
      case 'macro':
        if (cmd.macro.name === DROP_PREFIX_MACRO && cmd.macro.args.length === 1) {
          const prefix = `${cmd.macro.args[0]}.`;
          rename((name) => (name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : null), null);
        }
        break;
      default:
        break;
    }
  }
  return [...current()].map(([field, source]) => ({ field, source }));
}
