// The sources a `sync` reads: ruleatlas.config.json (or .yaml), validated into plain objects.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import yaml from 'js-yaml';

export interface GitSource {
  kind: 'git';
  name: string;
  git: string;
  ref: string;
  /** Folders to check out (sparse); empty for the whole tree. */
  paths: string[];
  /** A platform hint; read but not used yet (formats are recognised by content). */
  platform?: string;
  /** The user's own rules: compared with the public ones on the "Your rules" page. */
  mine?: boolean;
}

interface DirSource {
  kind: 'dir';
  name: string;
  /** Absolute; a relative `dir` is taken from the config file's folder. */
  dir: string;
  platform?: string;
  mine?: boolean;
}

type SourceConfig = GitSource | DirSource;

export interface SyncConfig {
  sources: SourceConfig[];
  attack?: string;
  /** "My log sources": provider ids and `table:`, `index:`, `dataset:`, `sourcetype:`, `logtype:` entries (serve's visibility default). */
  logSources?: string[];
}

const defaultConfigNames = ['ruleatlas.config.json', 'ruleatlas.config.yaml', 'ruleatlas.config.yml'];

/** The config file to use: the one given, else the first default name in the working folder. */
export function findConfig(given: string | undefined, cwd = process.cwd()): string {
  if (given) return given;
  const found = defaultConfigNames.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
  if (!found) throw new Error(`no ${defaultConfigNames.join(' or ')} in ${cwd}: give --config FILE`);
  return found;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Names become cache folders and catalog source names: keep them to a safe alphabet. */
const safeName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function parseConfig(text: string, file: string): SyncConfig {
  const doc: unknown = /\.ya?ml$/i.test(file) ? yaml.load(text) : JSON.parse(text);
  const where = (what: string) => new Error(`${file}: ${what}`);
  if (!isRecord(doc) || !Array.isArray(doc.sources)) throw where('expected an object with a "sources" list');
  const base = dirname(resolve(file));
  const names = new Set<string>();
  const sources = doc.sources.map((raw, i): SourceConfig => {
    if (!isRecord(raw)) throw where(`sources[${i}] is not an object`);
    const name = str(raw.name);
    if (!name || !safeName.test(name)) throw where(`sources[${i}] needs a "name" of letters, digits, ".", "_" or "-"`);
    if (names.has(name)) throw where(`source name "${name}" is used twice`);
    names.add(name);
    const platform = str(raw.platform);
    if (raw.mine !== undefined && typeof raw.mine !== 'boolean') throw where(`source "${name}": "mine" must be true or false`);
    // Only set when true, so that configs without it read as before.
    const mine = raw.mine === true ? { mine: true } : {};
    const git = str(raw.git);
    const dir = str(raw.dir);
    if (git && dir) throw where(`source "${name}" has both "git" and "dir"`);
    if (dir) return { kind: 'dir', name, dir: resolve(base, dir), platform, ...mine };
    if (!git) throw where(`source "${name}" needs "git" (a URL) or "dir" (a folder)`);
    const paths = raw.paths === undefined ? [] : raw.paths;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.trim() && !p.startsWith('-'))) {
      throw where(`source "${name}": "paths" must be a list of folder names`);
    }
    const ref = str(raw.ref) ?? 'main';
    if (ref.startsWith('-')) throw where(`source "${name}": bad "ref"`);
    return { kind: 'git', name, git, ref, paths: paths.map((p: string) => p.trim()), platform, ...mine };
  });
  const attack = str(doc.attack);
  const logSources = doc.logSources;
  if (logSources !== undefined && (!Array.isArray(logSources) || !logSources.every((v) => typeof v === 'string' && v.trim())))
    throw where(
      '"logSources" must be a list of log sources (provider ids, table:..., index:..., dataset:..., sourcetype:..., logtype:...)',
    );
  return {
    sources,
    attack: attack ? resolve(base, attack) : undefined,
    ...(logSources ? { logSources: logSources.map((v: string) => v.trim()) } : {}),
  };
}

export function loadConfig(file: string): SyncConfig {
  return parseConfig(readFileSync(file, 'utf8'), file);
}
