import type { PlatformInfo, RuleFormat } from './types.js';
import { sentinelFormat } from './sentinel/index.js';
import { elasticFormat } from './elastic/index.js';
import { sigmaFormat } from './sigma/index.js';
import { chronicleFormat } from './chronicle/index.js';
import { pantherFormat } from './panther/index.js';
import { splunkFormat } from './splunk/index.js';
import { kqlMarkdownFormat } from './kql-markdown/index.js';

/** Every rule format. Adding one is a folder and a line here. */
export const formats: readonly RuleFormat[] = [sentinelFormat, elasticFormat, sigmaFormat, chronicleFormat, pantherFormat, splunkFormat, kqlMarkdownFormat];

export const platforms: readonly PlatformInfo[] = [
  ...new Map(formats.flatMap((f) => [f.platform, ...(f.otherPlatforms ?? [])]).map((p) => [p.id, p])).values(),
];

export function platformInfo(id: string): PlatformInfo | undefined {
  return platforms.find((p) => p.id === id);
}
