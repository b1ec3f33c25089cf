// The UDM table of one rule: for each UDM name, the log fields it stands for under the rule's
// LogTypes. A source that carries its own data models (`data_models/<file>.yml` beside the rules
// folder, as panther-analysis lays it out) is read first; the built-in table fills the rest.
// A name the source's model computes with a Python method (and the built-in table has no field
// for) is `method:<module>:<function>`, the model's .py handed to the analysis as the module
// `data_model:<file>` (a name no `import` can spell) with the helper modules it imports.
import { loadYaml } from '../yaml.js';
import type { DataModelTable, PythonModules } from '../../model/types.js';
import { type Doc, isDoc, str, strList } from '../fields.js';
import type { SourceFile } from '../types.js';
import { builtinDataModels, type DataModelSpec } from './data-models.js';
import { helperModules } from './helpers.js';

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

/** A source's data model: the spec, and where its methods are (module key → the model's Python). */
interface OwnModel {
  spec: DataModelSpec;
  /** UDM name → `method:<module>:<function>`, when the model's .py was read. */
  methodRefs: Record<string, string>;
  modules: PythonModules;
}

/** The source's own copy of a data model, when it sits where panther-analysis keeps it. */
function ownModel(spec: DataModelSpec, logType: string, file: SourceFile): OwnModel | undefined {
  const own = ownModelDoc(logType, file);
  if (!own) return undefined;
  const paths: Record<string, string> = {};
  const methods: string[] = [];
  const methodNames: Record<string, string> = {};
  for (const m of Array.isArray(own.doc.Mappings) ? own.doc.Mappings : []) {
    if (!isDoc(m)) continue;
    const name = str(m, 'Name');
    if (!name) continue;
    const path = str(m, 'Path');
    const method = str(m, 'Method');
    if (path) paths[name] = path;
    else if (method) {
      methods.push(name);
      methodNames[name] = method;
    }
  }
  const filename = str(own.doc, 'Filename');
  const code = filename ? file.readRelated?.(own.folder + filename) : undefined;
  const modules: PythonModules = {};
  const methodRefs: Record<string, string> = {};
  if (filename && code !== undefined) {
    const key = `data_model:${filename.replace(/\.py$/, '')}`;
    Object.assign(modules, helperModules(code, file), { [key]: code });
    for (const [name, method] of Object.entries(methodNames)) methodRefs[name] = `method:${key}:${method}`;
  }
  return {
    spec: { file: spec.file, logTypes: strList(own.doc, 'LogTypes'), paths, methods, methodFields: spec.methodFields },
    methodRefs,
    modules,
  };
}

/**
 * UDM name → fields for a rule's log types, each with the log types whose model maps the name to
 * it, and the data models' Python the methods need. A name that one log type maps to a path and
 * another computes with a method the analysis cannot read keeps `udm:<name>` beside the path, so
 * that nothing is claimed for the log type the table cannot resolve.
 */
export function udmContext(logTypes: string[], file: SourceFile): { table: DataModelTable; modules: PythonModules } {
  const table: Record<string, Map<string, string[]>> = {};
  const modules: PythonModules = {};
  const add = (name: string, field: string, logType: string) => {
    const fields = (table[name] ??= new Map());
    const types = fields.get(field);
    if (!types) fields.set(field, [logType]);
    else if (!types.includes(logType)) types.push(logType);
  };
  for (const logType of logTypes) {
    const builtin = builtinDataModels.find((m) => m.logTypes.includes(logType));
    if (!builtin) continue;
    const own = ownModel(builtin, logType, file);
    const model = own?.spec ?? builtin;
    if (own) Object.assign(modules, own.modules);
    for (const [name, path] of Object.entries(model.paths)) add(name, normalisePath(path), logType);
    for (const name of model.methods ?? []) {
      const hint = model.methodFields?.[name];
      add(name, hint ?? own?.methodRefs[name] ?? `udm:${name}`, logType);
    }
  }
  // Under one model, its log types are the rule's own: the rule's LogTypes gate it already.
  const several = new Set(Object.values(table).flatMap((fields) => [...fields.values()].flat())).size > 1;
  const out: DataModelTable = {};
  for (const [name, fields] of Object.entries(table)) {
    // Only method-computed names without a hint: leave them to the analyser's `udm:<name>`.
    if ([...fields.keys()].every((f) => f.startsWith('udm:'))) continue;
    out[name] = [...fields].map(([field, types]) => (several ? { field, logTypes: types } : field));
  }
  return { table: out, modules };
}
