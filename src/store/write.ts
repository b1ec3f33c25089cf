import Database from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';
import type { Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';
import { schema, schemaVersion } from './schema.js';

/** Text the full-text index holds for a rule: names, prose, query, and the fields and values it tests. */
function searchText(rule: Rule) {
  return {
    fields: [...new Set([...rule.indicators.map((i) => i.field), ...rule.outputFields.map((o) => o.field)])].join(' '),
    vals: [...new Set([...rule.indicators.map((i) => i.value), ...rule.events.map((e) => `${e.provider} ${e.event}`)])].join(' '),
    tags: [...rule.tags, ...rule.attack.techniques.map((t) => `${t.id} ${t.name}`), ...rule.attack.tactics.map((t) => t.name)].join(' '),
  };
}

/**
 * The raw file text is stored beside the rule JSON, not in it: a server keeps every rule in
 * memory and fetches a body only for the page that shows it.
 *
 * Write the catalog to a new file and move it over `dbPath` at the end, so that a reader never
 * sees half a catalog and a rebuild from the same input gives the same content.
 */
export function writeCatalog(dbPath: string, rules: Iterable<Rule>, report: BuildReport): void {
  const temp = `${dbPath}.tmp-${process.pid}`;
  rmSync(temp, { force: true });
  const db = new Database(temp);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(schema);
    const insertRule = db.prepare(
      'INSERT INTO rules (rowid, id, native_id, platform, language, source_name, path, name, severity, current, json, body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
    );
    const insertIndicator = db.prepare('INSERT INTO indicators VALUES (?,?,?,?,?,?)');
    const insertEvent = db.prepare('INSERT INTO events VALUES (?,?,?)');
    const insertTechnique = db.prepare('INSERT INTO techniques VALUES (?,?,?)');
    // Rowids follow the rules' order, so that a search hit is a position in the loaded list.
    const insertFts = db.prepare('INSERT INTO rules_fts (rowid, id, name, description, query, fields, vals, tags) VALUES (?,?,?,?,?,?,?,?)');
    const insertMeta = db.prepare('INSERT INTO meta VALUES (?, ?)');
    db.transaction(() => {
      let rowid = 0;
      for (const rule of rules) {
        rowid++;
        const current = !rule.duplicates || rule.duplicates.newest ? 1 : 0;
        insertRule.run(rowid, rule.id, rule.nativeId, rule.platform, rule.language, rule.sourceName, rule.path, rule.name, rule.severity, current, JSON.stringify({ ...rule, body: undefined }), rule.body);
        for (const i of rule.indicators) insertIndicator.run(rule.id, i.field, i.op, i.value, i.negated ? 1 : 0, i.corpusCount ?? 0);
        for (const e of rule.events) insertEvent.run(rule.id, e.provider, e.event);
        for (const t of rule.attack.techniques) {
          if (t.tactics.length === 0) insertTechnique.run(rule.id, t.id, null);
          for (const tactic of t.tactics) insertTechnique.run(rule.id, t.id, tactic);
        }
        const s = searchText(rule);
        insertFts.run(rowid, rule.id, rule.name, rule.description, rule.query, s.fields, s.vals, s.tags);
      }
      insertMeta.run('schemaVersion', String(schemaVersion));
      insertMeta.run('report', JSON.stringify(report));
    })();
    db.exec("INSERT INTO rules_fts(rules_fts) VALUES('optimize')");
  } finally {
    db.close();
  }
  renameSync(temp, dbPath);
}
