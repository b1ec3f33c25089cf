import type { Diagnostic } from './types.js';

/** 1-based line and column of an offset in text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function queryError(message: string, text?: string, offset?: number): Diagnostic {
  const pos = text !== undefined && offset !== undefined ? lineColumn(text, offset) : {};
  return { message, severity: 'error', scope: 'query', ...pos };
}
