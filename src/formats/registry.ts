import type { PlatformInfo, RuleFormat } from './types.js';
import { sentinelFormat } from './sentinel/index.js';
import { elasticFormat } from './elastic/index.js';

/** Every rule format. Adding one is a folder and a line here. */
export const formats: readonly RuleFormat[] = [sentinelFormat, elasticFormat];

export const platforms: readonly PlatformInfo[] = [
  ...new Map(formats.flatMap((f) => [f.platform, ...(f.otherPlatforms ?? [])]).map((p) => [p.id, p])).values(),
];

export function platformInfo(id: string): PlatformInfo | undefined {
  return platforms.find((p) => p.id === id);
}
