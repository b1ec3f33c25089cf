// Presentation-only syntax highlighting: a small tokenizer per language that wraps strings,
// numbers, comments, keywords, operators and keys in <span class="hl-…">. Every piece of text
// goes through the `html` tag, so the output is escaped whatever the input holds.
import { html, type HtmlValue, type SafeHtml } from './html.js';

type TokenClass = 'c' | 's' | 'n' | 'k' | 'o' | 'f' | 'p' | 'h';

interface TokenRule {
  /** Sticky regex tried at the current position. */
  re: RegExp;
  cls: TokenClass;
}

interface LanguageSpec {
  rules: TokenRule[];
  /** Identifiers; classified as keyword, function (followed by `(`), field (followed by `:`) or plain. */
  word: RegExp;
  keywords: Set<string>;
  keywordsIgnoreCase?: boolean;
  /** Words followed by `:` are fields (kuery, lucene). */
  colonFields?: boolean;
  /** Data formats (YAML, TOML) have no function calls: a word before `(` stays plain. */
  noFunctions?: boolean;
}

const sticky = (source: string, flags = '') => new RegExp(source, `y${flags}`);

const numberRule: TokenRule = { re: sticky(String.raw`\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|tick|[smhd])?(?![\w.])`), cls: 'n' };
const lineComment: TokenRule = { re: sticky(String.raw`//[^\n]*`), cls: 'c' };
const blockComment: TokenRule = { re: sticky(String.raw`/\*[\s\S]*?\*/`), cls: 'c' };
const doubleQuoted: TokenRule = { re: sticky(String.raw`"(?:[^"\\\n]|\\.)*"`), cls: 's' };
const singleQuoted: TokenRule = { re: sticky(String.raw`'(?:[^'\\\n]|\\.)*'`), cls: 's' };
const tripleDouble: TokenRule = { re: sticky(String.raw`"""[\s\S]*?"""`), cls: 's' };

const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean));

const kql: LanguageSpec = {
  rules: [
    lineComment,
    { re: sticky('```[\\s\\S]*?```'), cls: 's' },
    { re: sticky(String.raw`[hH]?@"(?:[^"]|"")*"`), cls: 's' },
    { re: sticky(String.raw`[hH]?@'(?:[^']|'')*'`), cls: 's' },
    { re: sticky(String.raw`[hH]"(?:[^"\\\n]|\\.)*"`), cls: 's' },
    { re: sticky(String.raw`[hH]'(?:[^'\\\n]|\\.)*'`), cls: 's' },
    doubleQuoted,
    singleQuoted,
    numberRule,
    {
      re: sticky(
        String.raw`(?:mv-expand|mv-apply|project-away|project-rename|project-keep|project-reorder|make-series|parse-where|parse-kv|top-nested|top-hitters|partition-by)(?![\w-])`,
      ),
      cls: 'k',
    },
    { re: sticky(String.raw`==|!=|=~|!~|<>|<=|>=|=>|\|`), cls: 'o' },
    { re: sticky(String.raw`[<>=!~+*/%-]`), cls: 'o' },
  ],
  word: sticky(String.raw`[A-Za-z_$][\w$]*`),
  keywords: words(`
    where project extend summarize by join kind on union let take top limit sort order asc desc nulls first last
    distinct count parse evaluate render as datatable range invoke lookup materialize print search find
    getschema serialize sample sample-distinct fork facet filter with inner outer leftouter rightouter fullouter
    leftanti rightanti leftsemi rightsemi innerunique anti semi and or not in between has contains startswith
    endswith matches regex has_any has_all hasprefix hassuffix has_cs contains_cs startswith_cs endswith_cs
    hasprefix_cs hassuffix_cs in_cs true false null dynamic to step of isfuzzy withsource bag_unpack`),
};

const kuery: LanguageSpec = {
  rules: [
    doubleQuoted,
    numberRule,
    { re: sticky(String.raw`<=|>=|[<>:*(){}]`), cls: 'o' },
  ],
  word: sticky(String.raw`[A-Za-z_@][\w.@\-]*`),
  keywords: words('and or not'),
  keywordsIgnoreCase: true,
  colonFields: true,
};

const lucene: LanguageSpec = {
  rules: [
    doubleQuoted,
    { re: sticky(String.raw`/(?:[^/\\\n]|\\.)+/`), cls: 's' },
    numberRule,
    { re: sticky(String.raw`&&|\|\||[<>:*?(){}\[\]!+-]`), cls: 'o' },
  ],
  word: sticky(String.raw`[A-Za-z_@][\w.@\\-]*`),
  keywords: words('AND OR NOT TO'),
  colonFields: true,
};

const eql: LanguageSpec = {
  rules: [
    lineComment,
    blockComment,
    tripleDouble,
    { re: sticky(String.raw`\?"(?:[^"\n])*"`), cls: 's' },
    doubleQuoted,
    singleQuoted,
    numberRule,
    { re: sticky(String.raw`==|!=|<=|>=|[|:<>=~+*/%-]`), cls: 'o' },
  ],
  word: sticky(String.raw`[A-Za-z_][\w.]*`),
  keywords: words(`sequence sample by with maxspan until where and or not in like regex true false null any runs of join
    head tail filter unique unique_count count size`),
};

const esql: LanguageSpec = {
  rules: [
    lineComment,
    blockComment,
    tripleDouble,
    doubleQuoted,
    numberRule,
    { re: sticky(String.raw`==|!=|<=|>=|[|<>=+*/%-]`), cls: 'o' },
  ],
  word: sticky(String.raw`[A-Za-z_@][\w.@]*`),
  keywords: words(`from where eval stats by keep drop sort limit rename dissect grok enrich mv_expand metadata and or not
    in like rlike is null true false asc desc nulls first last row show inlinestats lookup join on with`),
  keywordsIgnoreCase: true,
};

const yaml: LanguageSpec = {
  rules: [
    { re: sticky(String.raw`(?<=^|[ \t])#[^\n]*`, 'm'), cls: 'c' },
    { re: sticky(String.raw`(?<=^[ \t]*(?:-[ \t]+)*)[^\s:#'"\[\]{},][^:\n]*?(?=[ \t]*:(?:[ \t]|$))`, 'm'), cls: 'p' },
    { re: sticky(String.raw`(?<=(?:^|[:\[,{-])[ \t]*)"(?:[^"\\\n]|\\.)*"`, 'm'), cls: 's' },
    { re: sticky(String.raw`(?<=(?:^|[:\[,{-])[ \t]*)'(?:[^'\n]|'')*'`, 'm'), cls: 's' },
    { re: sticky(String.raw`(?<=:[ \t]+)(?:true|false|null|~|-?\d+(?:\.\d+)?)(?=[ \t]*$)`, 'm'), cls: 'n' },
    { re: sticky(String.raw`(?<=^[ \t]*)-(?=[ \t])|(?<=:[ \t]*)[|>][-+]?(?=[ \t]*$)`, 'm'), cls: 'o' },
  ],
  word: sticky(String.raw`[A-Za-z_][\w.-]*`),
  keywords: new Set(),
  noFunctions: true,
};

const toml: LanguageSpec = {
  rules: [
    { re: sticky(String.raw`#[^\n]*`), cls: 'c' },
    { re: sticky(String.raw`(?<=^[ \t]*)\[\[?[^\]\n]*\]\]?`, 'm'), cls: 'h' },
    { re: sticky(String.raw`(?<=^[ \t]*)[\w.\-"]+(?=[ \t]*=)`, 'm'), cls: 'p' },
    tripleDouble,
    { re: sticky(String.raw`'''[\s\S]*?'''`), cls: 's' },
    doubleQuoted,
    { re: sticky(String.raw`'[^'\n]*'`), cls: 's' },
    { re: sticky(String.raw`(?<![\w.-])(?:true|false|[+-]?\d[\d_]*(?:\.\d+)?)(?![\w.-])`), cls: 'n' },
  ],
  word: sticky(String.raw`[A-Za-z_][\w-]*`),
  keywords: new Set(),
  noFunctions: true,
};

const specs: Record<string, LanguageSpec> = { kql, kuery, lucene, eql, esql, yaml, toml };

const followedByParen = sticky(String.raw`[ \t]*\(`);
const followedByColon = sticky(String.raw`[ \t]*:`);

function span(cls: TokenClass, text: string): SafeHtml {
  return html`<span class="hl-${cls}">${text}</span>`;
}

/** All of a language's token rules as one global regex: one scan finds the next token. */
interface Compiled {
  re: RegExp;
  classes: TokenClass[];
}

const compiled = new Map<LanguageSpec, Compiled>();

function compile(spec: LanguageSpec): Compiled {
  let done = compiled.get(spec);
  if (done) return done;
  const sources = [...spec.rules.map((r) => r.re.source), spec.word.source];
  for (const source of sources) {
    // Rules must not capture: the group number says which rule matched.
    if (new RegExp(`${source}|`).exec('')!.length !== 1) throw new Error(`highlight rule has a capturing group: ${source}`);
  }
  done = { re: new RegExp(sources.map((source) => `(${source})`).join('|'), 'gm'), classes: spec.rules.map((r) => r.cls) };
  compiled.set(spec, done);
  return done;
}

/** Tokenize `text` in `spec`; returns the pieces, text to be escaped and spans. */
function tokenize(text: string, spec: LanguageSpec): HtmlValue[] {
  const { re, classes } = compile(spec);
  const out: HtmlValue[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const token = m[0];
    if (token.length === 0) {
      re.lastIndex++;
      continue;
    }
    const start = m.index;
    const end = start + token.length;
    let group = 1;
    while (m[group] === undefined) group++;
    let cls: TokenClass | undefined = classes[group - 1];
    if (cls === undefined) {
      // A word: keyword, field (before `:`), function (before `(`) or plain.
      const key = spec.keywordsIgnoreCase ? token.toLowerCase() : token;
      if (spec.colonFields && ((followedByColon.lastIndex = end), followedByColon.test(text))) cls = 'p';
      else if (spec.keywords.has(key)) cls = 'k';
      else if (!spec.noFunctions && ((followedByParen.lastIndex = end), followedByParen.test(text))) cls = 'f';
      else continue; // plain: stays in the text between tokens
    }
    if (start > last) out.push(text.slice(last, start));
    out.push(span(cls, token));
    last = end;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Highlight text written in a language id (`kql`, `kuery`, `eql`, `esql`, `lucene`, `yaml`, `toml`). */
export function highlight(text: string, language: string): SafeHtml {
  const spec = specs[language];
  if (!spec) return html`${text}`;
  return html`${tokenize(text, spec)}`;
}

/** The query block inside a YAML file: `query: |` followed by more-indented lines. */
function splitYamlQuery(body: string): [string, string, string] | undefined {
  const m = /^([ \t]*)query:[ \t]*[|>][-+]?[ \t]*\r?\n/m.exec(body);
  if (!m) return undefined;
  const indent = m[1]!.length;
  const start = m.index + m[0].length;
  let end = start;
  while (end < body.length) {
    const nl = body.indexOf('\n', end);
    const lineEnd = nl === -1 ? body.length : nl + 1;
    const line = body.slice(end, lineEnd);
    const lead = /^[ \t]*/.exec(line)![0].length;
    if (line.trim() !== '' && lead <= indent) break;
    end = lineEnd;
  }
  return [body.slice(0, start), body.slice(start, end), body.slice(end)];
}

/** The query inside a TOML file: `query = '''…'''` or `query = """…"""`. */
function splitTomlQuery(body: string): [string, string, string, string] | undefined {
  const m = /^[ \t]*query[ \t]*=[ \t]*('''|""")/m.exec(body);
  if (!m) return undefined;
  const quote = m[1]!;
  const open = m.index + m[0].length - quote.length;
  const start = open + quote.length;
  const close = body.indexOf(quote, start);
  if (close === -1) return undefined;
  return [body.slice(0, open), quote, body.slice(start, close), body.slice(close + quote.length)];
}

/**
 * Highlight a whole rule file: YAML or TOML by its format, with the embedded query highlighted
 * in the rule's query language.
 */
export function highlightRuleBody(body: string, container: 'yaml' | 'toml' | 'text', language: string): SafeHtml {
  if (container === 'yaml') {
    const parts = splitYamlQuery(body);
    if (!parts) return highlight(body, 'yaml');
    return html`${highlight(parts[0], 'yaml')}${highlight(parts[1], language)}${highlight(parts[2], 'yaml')}`;
  }
  if (container === 'toml') {
    const parts = splitTomlQuery(body);
    if (!parts) return highlight(body, 'toml');
    const [before, quote, query, after] = parts;
    return html`${highlight(before, 'toml')}${span('s', quote)}${highlight(query, language)}${span('s', quote)}${highlight(after, 'toml')}`;
  }
  return html`${body}`;
}
