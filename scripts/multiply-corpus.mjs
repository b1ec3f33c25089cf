#!/usr/bin/env node
// Writes N copies of a rule corpus, for measuring a build on a corpus N times the size:
//   node scripts/multiply-corpus.mjs --copies 4 --out /tmp/corpus-x4 [--corpus ../shared/corpus]
// Each source folder `<name>` becomes `<name>-1` ... `<name>-N` (distinct source names), and
// the `attack/` folder is copied once beside them (the build finds the ATT&CK bundle there).
// So that copies are not duplicates of each other, every rule's native id is rewritten per copy
// (Sigma/Sentinel/Splunk `id:`, Elastic `rule_id`, Panther `RuleID`/`PolicyID`/`QueryName`/
// `DataModelID`, Chronicle `rule <name>` and meta `rule_id`), and so is every reference to it
// inside the same copy (Sigma `related:`, Panther correlation and scheduled-query lists, Sigma
// regression `rule_metadata`), and its title gets a " (copy n)" suffix. The rewrites are textual
// and line-based, so files stay parseable. A Markdown KQL write-up takes its id from its path
// within its source, so it is renamed per copy (`name-copy<n>.md`) and its first `#` title gets
// the suffix; the rest of it is copied as it is.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidInText = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const yamlExts = new Set(['.yml', '.yaml']);

/** A stable id for `old` in copy `n`: a UUID stays a UUID (some tools check the shape), anything else gets a suffix. */
export function copyId(old, n) {
  const uuid = (text) => {
    const h = createHash('sha1').update(`ruleatlas-copy-${n}:${text.toLowerCase()}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  if (uuidShape.test(old)) return uuid(old);
  const curated = /^mr_(.+)$/.exec(old); // Chronicle's curated rule ids: mr_<uuid>
  if (curated && uuidShape.test(curated[1])) return `mr_${uuid(curated[1])}`;
  return `${old}_copy${n}`;
}

function walk(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

const unquote = (value) =>
  value
    .trim()
    .replace(/\s+#.*$/, '')
    .replace(/^(['"])(.*)\1$/, '$2');

/** The native ids a file declares (not the ones it refers to). */
function declaredIds(path, text) {
  const ext = extname(path).toLowerCase();
  const ids = [];
  if (yamlExts.has(ext)) {
    for (const m of text.matchAll(/^(?:id|RuleID|PolicyID|QueryName|DataModelID):[ \t]*(.+)$/gm)) ids.push(unquote(m[1]));
  } else if (ext === '.toml') {
    for (const m of text.matchAll(/^rule_id\s*=\s*"([^"]+)"/gm)) ids.push(m[1]);
  } else if (ext === '.yaral') {
    for (const m of text.matchAll(/^\s*rule\s+([A-Za-z_]\w*)\s*\{/gm)) ids.push(m[1]);
    for (const m of text.matchAll(/^\s*rule_id\s*=\s*"([^"]+)"/gm)) ids.push(m[1]);
  }
  return ids.filter((id) => id.length > 0);
}

/** Appends `suffix` to a YAML or TOML scalar as written (inside its quotes); undefined for a block scalar. */
function retitle(value, suffix) {
  if (/^\s*([|>]|'''|""")/.test(value) || value.trim() === '') return undefined;
  const m = /^(\s*)(['"])(.*)\2(\s*(?:#.*)?)$/.exec(value);
  if (m) return `${m[1]}${m[2]}${m[3]}${suffix}${m[2]}${m[4]}`;
  const plain = /^(\s*)(.*?)(\s+#.*)?$/.exec(value);
  return `${plain[1]}${plain[2]}${suffix}${plain[3] ?? ''}`;
}

/** The first line matching `key` rewritten by `retitle`; the text unchanged when there is none. */
function retitleLine(text, key, suffix, from = 0) {
  key.lastIndex = from;
  const m = key.exec(text);
  if (!m) return { text, done: false };
  const cr = m[2].endsWith('\r') ? '\r' : ''; // a CRLF file keeps its line ends
  const value = retitle(cr ? m[2].slice(0, -1) : m[2], suffix);
  if (value === undefined) return { text, done: false };
  return { text: text.slice(0, m.index) + m[1] + value + cr + text.slice(m.index + m[0].length), done: true };
}

/**
 * The rule's title with a copy suffix: Sigma `title`, Panther `DisplayName`, Sentinel/Splunk `name`
 * (rule files only), Elastic `[rule] name`, Chronicle `rule_name`.
 */
function retitleRule(path, text, suffix) {
  const ext = extname(path).toLowerCase();
  if (yamlExts.has(ext)) {
    for (const key of ['title', 'DisplayName']) {
      const r = retitleLine(text, new RegExp(`^(${key}:)(.*)$`, 'gm'), suffix);
      if (r.done) return r;
    }
    // Splunk stories have a `name:` too, which detections refer to: only files with a query are retitled.
    if (/^(?:search|query):/m.test(text)) return retitleLine(text, /^(name:)(.*)$/gm, suffix);
  } else if (ext === '.toml') {
    const table = /^\[rule\][ \t]*$/m.exec(text);
    if (table) {
      const next = text.slice(table.index + table[0].length).search(/^\[/m);
      const end = next < 0 ? text.length : table.index + table[0].length + next;
      const r = retitleLine(text.slice(0, end), /^(name\s*=)(.*)$/gm, suffix, table.index);
      return { text: r.text + text.slice(end), done: r.done };
    }
  } else if (ext === '.yaral') {
    return retitleLine(text, /^(\s*rule_name\s*=)(.*)$/gm, suffix);
  }
  return { text, done: false };
}

/** Every id of `ids` in the text replaced by its copy: UUIDs wherever they are, other ids where they are a whole value or a rule's name. */
function rewriteIds(path, text, ids, n) {
  const ext = extname(path).toLowerCase();
  const swap = (id) => (ids.has(id) ? copyId(id, n) : id);
  let out = text.replace(uuidInText, (u) => (ids.has(u) ? copyId(u, n) : u));
  if (yamlExts.has(ext)) {
    // `key: ID`, `- ID`, `- key: ID`, quoted or not, with an optional trailing comment (Panther
    // query names have spaces).
    const value = /^([ \t]*(?:-[ \t]+)?(?:[\w ]+:[ \t]+)?)(['"]?)([^'"#\s](?:[^'"#\n]*[^'"#\s])?)\2([ \t]*(?:#[^\r\n]*)?\r?)$/gm;
    out = out.replace(value, (_m, head, q, id, tail) => `${head}${q}${swap(id)}${q}${tail}`);
  } else if (ext === '.toml') {
    out = out.replace(/^(rule_id\s*=\s*")([^"]+)"/gm, (_m, head, id) => `${head}${swap(id)}"`);
  } else if (ext === '.yaral') {
    out = out.replace(/^(\s*rule\s+)([A-Za-z_]\w*)(\s*\{)/gm, (_m, head, id, tail) => `${head}${swap(id)}${tail}`);
    out = out.replace(/^(\s*rule_id\s*=\s*")([^"]+)"/gm, (_m, head, id) => `${head}${swap(id)}"`);
  }
  return out;
}

const ruleExts = new Set([...yamlExts, '.toml', '.yaral']);
const fence = Buffer.from('\n```');

/** A text file with a fenced block, of any extension or none: maybe a KQL write-up (the format decides). */
function isMarkdownRule(path) {
  const ext = extname(path).toLowerCase();
  return ['', '.md', '.markdown', '.kql', '.txt'].includes(ext) && readFileSync(path).includes(fence);
}

/** `dir/name.md` as `dir/name-copy<n>.md` (`dir/name` as `dir/name-copy<n>`). */
function renamedForCopy(path, n) {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-copy${n}${ext}`;
}

/** Writes the copies; returns what was written. */
export function multiplyCorpus({ corpus, copies, out }) {
  const folders = readdirSync(corpus, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'attack')
    .map((d) => d.name)
    .sort();
  const files = new Map(folders.map((f) => [f, walk(join(corpus, f))]));
  // Ids are collected over the whole corpus first, so that a reference across folders (Sigma
  // regression data naming a Sigma rule) is rewritten the same way as the rule it names.
  const texts = new Map();
  const ids = new Set();
  const markdown = new Set();
  for (const path of [...files.values()].flat()) {
    if (!ruleExts.has(extname(path).toLowerCase())) {
      if (isMarkdownRule(path)) markdown.add(path);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    texts.set(path, text);
    for (const id of declaredIds(path, text)) ids.add(id);
  }
  mkdirSync(out, { recursive: true });
  if (existsSync(join(corpus, 'attack'))) cpSync(join(corpus, 'attack'), join(out, 'attack'), { recursive: true });
  let written = 0;
  let bytes = 0;
  let retitled = 0;
  for (let n = 1; n <= copies; n++) {
    for (const folder of folders) {
      for (const path of files.get(folder)) {
        const target = join(out, `${folder}-${n}`, relative(join(corpus, folder), path));
        mkdirSync(dirname(target), { recursive: true });
        const text = texts.get(path);
        if (text === undefined && markdown.has(path)) {
          const titled = retitleLine(readFileSync(path, 'utf8'), /^(#[ \t]+)(.*)$/gm, ` (copy ${n})`);
          if (titled.done) retitled++;
          writeFileSync(renamedForCopy(target, n), titled.text);
        } else if (text === undefined) {
          copyFileSync(path, target);
        } else {
          const titled = retitleRule(path, rewriteIds(path, text, ids, n), ` (copy ${n})`);
          if (titled.done) retitled++;
          writeFileSync(target, titled.text);
        }
        written++;
      }
    }
  }
  for (const folder of folders) for (let n = 1; n <= copies; n++) bytes += sizeOf(join(out, `${folder}-${n}`));
  return {
    folders: folders.flatMap((f) => Array.from({ length: copies }, (_, i) => `${f}-${i + 1}`)),
    files: written,
    bytes,
    ids: ids.size,
    retitled,
  };
}

function sizeOf(dir) {
  return walk(dir).reduce((sum, path) => sum + readFileSync(path).length, 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const { values } = parseArgs({
    options: {
      copies: { type: 'string', default: '4' },
      out: { type: 'string' },
      corpus: { type: 'string', default: join(root, '..', 'shared', 'corpus') },
      json: { type: 'boolean' },
    },
  });
  const copies = Number(values.copies);
  if (!values.out || !Number.isInteger(copies) || copies < 1) {
    console.error('usage: node scripts/multiply-corpus.mjs --copies N --out DIR [--corpus DIR] [--json]');
    process.exit(2);
  }
  const out = resolve(values.out);
  if (out === resolve(root) || out.startsWith(`${resolve(root)}/`)) {
    console.error('multiply-corpus: --out must be outside the repository (a temporary folder)');
    process.exit(2);
  }
  if (!existsSync(values.corpus)) {
    console.error(`multiply-corpus: no corpus at ${values.corpus}`);
    process.exit(1);
  }
  const result = multiplyCorpus({ corpus: values.corpus, copies, out });
  if (values.json) console.log(JSON.stringify(result));
  else {
    const size = `${result.files} files (${(result.bytes / 2 ** 20).toFixed(1)} MiB) in ${result.folders.length} folders`;
    console.log(`${size}; ${result.ids} ids rewritten per copy, ${result.retitled} titles`);
  }
}
