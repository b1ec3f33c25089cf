// Loads Microsoft's Kusto parser (@kusto/language-service-next) once per process, on first use,
// and describes the few members of its untyped global `Kusto` that the analyser touches.
import { createRequire } from 'node:module';
import { type CachedScript, runCached } from './code-cache.js';

/** Kusto.Language.Syntax.SyntaxElement: a node or a token of the syntax tree. */
export interface SyntaxElement {
  readonly Kind: number;
  readonly IsToken: boolean;
  readonly IsMissing: boolean;
  readonly ChildCount: number;
  /** Offset of the first character of the element's own text (trivia excluded). */
  readonly TextStart: number;
  /** Offset just after the element's last character (trailing trivia excluded). */
  readonly End: number;
  GetChild(index: number): SyntaxElement | null;
  GetFirstToken(includeZeroWidthTokens?: boolean): SyntaxToken | null;
}

/** Kusto.Language.Syntax.SyntaxToken. */
export interface SyntaxToken extends SyntaxElement {
  readonly Text: string;
  /** Decoded value: the unquoted string for string literals; boxed .NET values otherwise. */
  readonly Value: unknown;
  /** The value as text (`0x10`, `1.5`, `true`, `null` ...). */
  readonly ValueText: string | null;
}

interface KustoList<T> {
  readonly Count: number;
  getItem(index: number): T;
}

interface KustoDiagnostic {
  readonly Severity: string | null;
  readonly Message: string | null;
  readonly Start: number;
  readonly Length: number;
}

interface KustoCode {
  readonly Syntax: SyntaxElement | null;
  GetSyntaxDiagnostics(): KustoList<KustoDiagnostic> | null;
}

/** The root a parser returns: a node that collects the diagnostics of its subtree. */
interface SyntaxRoot extends SyntaxElement {
  GetContainedSyntaxDiagnostics(): KustoList<KustoDiagnostic> | null;
}

/** Kusto.Language.ParseOptions: opaque here, but for the one option set. */
interface ParseOptions {
  WithAlwaysProduceEndTokens(value: boolean): ParseOptions;
}

/** Kusto.Language.Symbols.FunctionSymbol: only how it names its result column. */
interface FunctionSymbol {
  readonly ResultNameKind: number;
  readonly ResultNamePrefix: string | null;
}

interface KustoGlobal {
  Language: {
    KustoCode: { Parse(text: string): KustoCode | null; GetKind(text: string): string };
    Editor: { CodeKinds: { Query: string } };
    ParseOptions: { Default: ParseOptions };
    Parsing: {
      TokenParser: { ParseTokens(text: string, options: ParseOptions): unknown };
      QueryParser: { ParseQuery(tokens: unknown, start: number, options: ParseOptions): SyntaxRoot };
    };
    Syntax: { SyntaxKind: Record<string, unknown>; SyntaxTree: new (root: SyntaxRoot) => unknown };
    GlobalState: {
      Default: {
        GetFunction(name: string): FunctionSymbol | null;
        GetAggregate(name: string): FunctionSymbol | null;
      };
    };
  };
}

export interface ParseDiagnostic {
  message: string;
  start: number;
  severity: 'error' | 'warning';
}

export interface ParsedQuery {
  root: SyntaxElement | undefined;
  diagnostics: ParseDiagnostic[];
}

/** How Kusto names the column an unnamed function call produces (Kusto.Language.Symbols.ResultNameKind). */
type ResultNameKind =
  | 'None'
  | 'NameAndFirstArgument'
  | 'NameAndOnlyArgument'
  | 'PrefixAndFirstArgument'
  | 'PrefixAndOnlyArgument'
  | 'FirstArgumentValueIfColumn'
  | 'PrefixOnly'
  | 'FirstArgument'
  | 'OnlyArgument';

export interface FunctionNaming {
  kind: ResultNameKind;
  prefix: string | undefined;
}

const RESULT_NAME_KINDS: readonly ResultNameKind[] = [
  'None',
  'NameAndFirstArgument',
  'NameAndOnlyArgument',
  'PrefixAndFirstArgument',
  'PrefixAndOnlyArgument',
  'FirstArgumentValueIfColumn',
  'PrefixOnly',
  'FirstArgument',
  'OnlyArgument',
];

interface Loaded {
  kusto: KustoGlobal;
  /** SyntaxKind number -> name (`FilterOperator`, `EqualExpression` ...). */
  kindNames: string[];
  /** KustoCode.Parse's options: the defaults, with end tokens always produced. */
  options: ParseOptions;
  /** The scripts' code caches, saved once the first query is parsed (it compiles much of the parser). */
  scripts?: CachedScript[];
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  // The minified builds load about twice as fast as the plain ones (measured: ~150 ms vs ~300 ms).
  // bridge.js (the Bridge.NET runtime) must come first; the second file sets the global `Kusto`.
  // Both run as scripts in this context, as require runs them (Bridge finds the global either way).
  const scripts = ['bridge.min.js', 'Kusto.Language.Bridge.min.js'].map((file) =>
    runCached(require.resolve(`@kusto/language-service-next/${file}`)),
  );
  const kusto = (globalThis as unknown as { Kusto?: KustoGlobal }).Kusto;
  if (!kusto) throw new Error('@kusto/language-service-next did not define the Kusto global');
  const kindNames: string[] = [];
  for (const [name, value] of Object.entries(kusto.Language.Syntax.SyntaxKind)) {
    if (typeof value === 'number' && kindNames[value] === undefined) kindNames[value] = name;
  }
  loaded = { kusto, kindNames, options: kusto.Language.ParseOptions.Default.WithAlwaysProduceEndTokens(true), scripts };
  return loaded;
}

/**
 * Parse only (no binding): without a schema, semantic analysis would flag every table and column.
 * A query goes straight to Kusto's query parser, as KustoCode.Parse does, with the same options,
 * without the combinator grammar KustoCode also builds for completion: building that grammar is
 * ~450 ms of the first parse in a process (measured), and every query of the corpus gives the same
 * tree and diagnostics either way (compared on all 1,061 KQL queries). Commands (`.create ...`)
 * still go through KustoCode.
 */
export function parseKusto(text: string): ParsedQuery {
  const { kusto, options } = load();
  const language = kusto.Language;
  let root: SyntaxElement | undefined;
  let list: KustoList<KustoDiagnostic> | null | undefined;
  if (language.KustoCode.GetKind(text) === language.Editor.CodeKinds.Query) {
    const tokens = language.Parsing.TokenParser.ParseTokens(text, options);
    const syntax = language.Parsing.QueryParser.ParseQuery(tokens, 0, options);
    // The tree sets each element's parent and offsets, as KustoCode's does.
    new language.Syntax.SyntaxTree(syntax);
    root = syntax;
    list = syntax.GetContainedSyntaxDiagnostics();
  } else {
    const code = language.KustoCode.Parse(text);
    root = code?.Syntax ?? undefined;
    list = code?.GetSyntaxDiagnostics();
  }
  const diagnostics: ParseDiagnostic[] = [];
  for (let i = 0; list && i < list.Count; i++) {
    const d = list.getItem(i);
    diagnostics.push({
      message: d.Message ?? 'syntax error',
      start: d.Start,
      severity: d.Severity === 'Error' ? 'error' : 'warning',
    });
  }
  if (loaded!.scripts) {
    for (const script of loaded!.scripts) script.save();
    loaded!.scripts = undefined;
  }
  return { root, diagnostics };
}

/** Name of an element's SyntaxKind; only valid after a parse has loaded Kusto. */
export function kindOf(element: SyntaxElement): string {
  return loaded?.kindNames[element.Kind] ?? '';
}

const namingCache = new Map<string, FunctionNaming | null>();

/** Result-naming rule of a built-in scalar function (or aggregate), undefined if not built in. */
export function builtinFunction(name: string, aggregate: boolean): FunctionNaming | undefined {
  const key = `${aggregate ? 'a' : 'f'}:${name}`;
  let naming = namingCache.get(key);
  if (naming === undefined) {
    const state = load().kusto.Language.GlobalState.Default;
    const symbol = (aggregate ? state.GetAggregate(name) : null) ?? state.GetFunction(name);
    naming = symbol ? { kind: RESULT_NAME_KINDS[symbol.ResultNameKind] ?? 'None', prefix: symbol.ResultNamePrefix ?? undefined } : null;
    namingCache.set(key, naming);
  }
  return naming ?? undefined;
}
