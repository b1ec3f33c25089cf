import yaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import type { Container } from './types.js';

const byExtension: Record<string, Container> = {
  yml: 'yaml',
  yaml: 'yaml',
  toml: 'toml',
};

export function containerOf(path: string): Container {
  const dot = path.lastIndexOf('.');
  const slash = path.lastIndexOf('/');
  if (dot <= slash) return 'text';
  return byExtension[path.slice(dot + 1).toLowerCase()] ?? 'text';
}

/** Parse a file's text into the document its formats inspect. Throws with a readable message. */
export function parseContainer(container: Container, text: string): unknown {
  switch (container) {
    case 'yaml':
      // JSON_SCHEMA keeps dates and `1.0` versions as written instead of guessing types.
      return yaml.load(text, { schema: yaml.JSON_SCHEMA });
    case 'toml':
      return parseToml(text);
    case 'text':
      return text;
  }
}
