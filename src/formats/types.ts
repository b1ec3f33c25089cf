import type { StoredTest } from '../evaluate/stored-tests.js';
import type { RawRule } from '../model/types.js';

/** How a file's text is turned into a document before formats look at it. */
export type Container = 'yaml' | 'toml' | 'text';

export interface SourceFile {
  /** Path relative to the source folder, with forward slashes. */
  path: string;
  text: string;
  /**
   * Text of another file of the same source, by a path relative to this file's folder
   * (a Panther YAML names its Python file this way), never from outside the source; undefined when it cannot be read.
   */
  readRelated?(relativePath: string): string | undefined;
  /** Why readRelated gave undefined for this path, when it knows (outside the source, not a file, its encoding). */
  whyUnread?(relativePath: string): string | undefined;
}

/**
 * A rule file format. Implementations live in `src/formats/<id>/` and are listed once in
 * `src/formats/registry.ts`. Detection is by content, so any folder layout works.
 */
export interface RuleFormat {
  id: string;
  /** Id of the platform its rules run on, from the platform registry (`src/platforms/registry.ts`). */
  platform: string;
  /** Further platform ids a file's rules may be assigned to (per rule, by what they query). */
  otherPlatforms?: string[];
  container: Container;
  /** Ids of the languages (language registry) its rules' queries may be written in; a rule without a query has `none`. */
  languages: readonly string[];
  /** Cheap check on the parsed document: is this file one of ours? */
  detect(doc: unknown, file: SourceFile): boolean;
  /** Read the rules of a detected file. Throws only when the file is unusable as a whole. */
  read(doc: unknown, file: SourceFile): RawRule[];
  /** The tests a detected file holds (rules' own tests, regression samples), stored with the file's analysis. */
  readTests?(doc: unknown, file: SourceFile): StoredTest[];
  /**
   * Completes tests whose answer needs their rule read with the test's own inputs (a Panther test's
   * Mocks), once the file's rules are read; called only where the rules are analysed.
   */
  analyseTests?(tests: StoredTest[], rules: readonly RawRule[]): void;
}
