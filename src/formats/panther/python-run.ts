// What running a Panther Python rule's tests needs, read with the rule's file so that `ruleatlas
// test` needs only the catalog: the rule's .py, the helper modules it imports (helpers.ts) and the
// data model of each test's log type with its Python (what `event.udm()` reads). Every file is read
// through SourceFile.readRelated, so it stays inside the source and its change analyses the rule
// again. Texts are named by sha1: the write keeps each once (table `test_code`).
import { createHash } from 'node:crypto';
import type { StoredPythonRun } from '../../evaluate/stored-tests.js';
import { pythonDataModel } from '../../languages/python/runtime/panther-tests.js';
import { type Doc, str, strList } from '../fields.js';
import type { SourceFile } from '../types.js';
import { helperModules } from './helpers.js';
import { ownModelDoc } from './udm.js';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** A rule file's Python run, one per test log type: `run(logType)` the test's run, `texts` every text they name. */
export interface PythonRuns {
  run(logType: string | undefined): StoredPythonRun;
  texts: Record<string, string>;
}

/** The runs of a rule or policy's tests; undefined when the YAML names no Python file or it cannot be read. */
export function pythonRuns(doc: Doc, file: SourceFile): PythonRuns | undefined {
  const type = (str(doc, 'AnalysisType') ?? '').trim().toLowerCase();
  const filename = str(doc, 'Filename');
  if (!filename || !['rule', 'scheduled_rule', 'policy'].includes(type)) return undefined;
  const code = file.readRelated?.(filename);
  if (code === undefined) return undefined;
  const texts: Record<string, string> = {};
  const named = (text: string) => {
    const digest = sha1(text);
    texts[digest] = text;
    return digest;
  };
  const modules: Record<string, string> = {};
  for (const [name, text] of Object.entries(helperModules(code, file) ?? {})) modules[name] = named(text);
  const base = { filename, code: named(code), function: type === 'policy' ? 'policy' : 'rule' } as const;
  const logTypes = strList(doc, 'LogTypes');
  // A data model's Python imports helper modules too (event type helpers): the test's run needs them.
  const models = new Map<string, { dataModel: StoredPythonRun['dataModel']; modules: Record<string, string> }>();
  const modelOf = (logType: string) => {
    if (!models.has(logType)) {
      const own = ownModelDoc(logType, file);
      const modelFile = own && str(own.doc, 'Filename');
      const modelCode = modelFile !== undefined ? file.readRelated?.(own!.folder + modelFile) : undefined;
      const model = own && pythonDataModel(own.doc, modelCode);
      const modelModules: Record<string, string> = {};
      if (modelCode !== undefined)
        for (const [name, text] of Object.entries(helperModules(modelCode, file) ?? {})) modelModules[name] = named(text);
      const dataModel = model && {
        paths: model.paths,
        methods: model.methods ?? {},
        ...(modelCode !== undefined ? { code: named(modelCode), filename: modelFile } : {}),
      };
      models.set(logType, { dataModel, modules: modelModules });
    }
    return models.get(logType)!;
  };
  return {
    texts,
    run(eventLogType) {
      const logType = eventLogType ?? logTypes[0];
      const model = logType ? modelOf(logType) : undefined;
      return {
        ...base,
        modules: { ...model?.modules, ...modules },
        ...(model?.dataModel ? { dataModel: model.dataModel } : {}),
        ...(logTypes[0] ? { logType: logTypes[0] } : {}),
      };
    },
  };
}
