// Loads the tree-sitter Python grammar (WebAssembly) once per process. `initPython()` is the
// language's `init()`, run by `prepareLanguages()`; `parsePython` stays synchronous after it.
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

export function initPython(): Promise<void> {
  loading ??= (async () => {
    await Parser.init();
    const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
}

/** The syntax tree of a Python module, or undefined before `initPython()` has finished. */
export function parsePython(text: string): Tree | undefined {
  return parser?.parse(text) ?? undefined;
}
