// The UDM table of one rule: for each UDM name, the log fields it stands for under the rule's
// LogTypes. A source that carries its own data models (`data_models/<file>.yml` beside the rules
// folder, as panther-analysis lays it out) is read first; the built-in table fills the rest.
import { loadYaml } from '../yaml.js';
import type { DataModelTable } from '../../model/types.js';
import { type Doc, isDoc, str, strList } from '../fields.js';
import type { SourceFile } from '../types.js';
import { builtinDataModels, type DataModelSpec } from './data-models.js';

/** Where a rule file may find `data_models/`: rules/<pack>/x.yml, rules/x.yml, deeper packs. */
const folders = ['../../data_models/', '../data_models/', '../../../data_models/', 'data_models/'];

function normalisePath(path: string): string {
  let p = path.trim();
  if (p.startsWith('$.')) p = p.slice(2);
  else if (p.startsWith('$')) p = p.slice(1);
  return p.split('[*]').join('');
}

/**
 * The source's own data model YAML for a log type and the folder it is in (its `Filename` is beside
 * it, in a subfolder of data_models/ for some), when it sits where panther-analysis keeps it.
 */
export function ownModelDoc(logType: string, file: SourceFile): { doc: Doc; folder: string } | undefined {
  const spec = builtinDataModels.find((m) => m.logTypes.includes(logType));
  if (!spec || !file.readRelated) return undefined;
  const subfolder = spec.file.slice(0, spec.file.lastIndexOf('/') + 1);
  for (const folder of folders) {
    const text = file.readRelated(folder + spec.file);
    if (text === undefined) continue;
    try {
      const doc = loadYaml(text);
      if (isDoc(doc) && str(doc, 'AnalysisType') === 'datamodel' && strList(doc, 'LogTypes').includes(logType))
        return { doc, folder: folder + subfolder };
    } catch {
      continue;
    }
  }
  return undefined;
}

/** The source's own copy of a data model, when it sits where panther-analysis keeps it. */
function ownModel(spec: DataModelSpec, logType: string, file: SourceFile): DataModelSpec | undefined {
  const own = ownModelDoc(logType, file);
  if (!own) return undefined;
  const paths: Record<string, string> = {};
  const methods: string[] = [];
  for (const m of Array.isArray(own.doc.Mappings) ? own.doc.Mappings : []) {
    if (!isDoc(m)) continue;
    const name = str(m, 'Name');
    if (!name) continue;
    const path = str(m, 'Path');
    if (path) paths[name] = path;
    else if (str(m, 'Method')) methods.push(name);
  }
  return { file: spec.file, logTypes: strList(own.doc, 'LogTypes'), paths, methods, methodFields: spec.methodFields };
}

/**
 * UDM name → fields for a rule's log types. A name that one log type maps to a path and another
 * computes with a method keeps `udm:<name>` beside the path, so that nothing is claimed for the
 * log type the table cannot resolve.
 */
export function udmTable(logTypes: string[], file: SourceFile): DataModelTable {
  const table: Record<string, Set<string>> = {};
  const add = (name: string, field: string) => (table[name] ??= new Set()).add(field);
  for (const logType of logTypes) {
    const builtin = builtinDataModels.find((m) => m.logTypes.includes(logType));
    if (!builtin) continue;
    const model = ownModel(builtin, logType, file) ?? builtin;
    for (const [name, path] of Object.entries(model.paths)) add(name, normalisePath(path));
    for (const name of model.methods ?? []) {
      const hint = model.methodFields?.[name];
      add(name, hint ?? `udm:${name}`);
    }
  }
  const out: DataModelTable = {};
  for (const [name, fields] of Object.entries(table)) {
    const list = [...fields];
    // Only method-computed names without a hint: leave them to the analyser's `udm:<name>`.
    if (list.every((f) => f.startsWith('udm:'))) continue;
    out[name] = list;
  }
  return out;
}
