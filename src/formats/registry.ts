import type { RuleFormat } from './types.js';
import { sentinelFormat } from './sentinel/index.js';
import { elasticFormat } from './elastic/index.js';
import { sigmaFormat } from './sigma/index.js';
import { chronicleFormat } from './chronicle/index.js';
import { pantherFormat } from './panther/index.js';
import { splunkFormat } from './splunk/index.js';
import { kqlMarkdownFormat } from './kql-markdown/index.js';
import { sigmaRegressionFormat } from './sigma-regression/index.js';

/** Every rule format. Adding one is a folder and a line here. */
export const formats: readonly RuleFormat[] = [
  sentinelFormat,
  elasticFormat,
  sigmaFormat,
  chronicleFormat,
  pantherFormat,
  splunkFormat,
  kqlMarkdownFormat,
  sigmaRegressionFormat,
];

// Platforms have their own registry; kept here for the callers that look them up beside the formats.
export { platformInfo } from '../platforms/registry.js';
