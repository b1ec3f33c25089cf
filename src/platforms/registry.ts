// Every platform rules run on, in one place: formats name the platforms of the rules they read by id,
// analysis looks up a platform's log schema here, coverage how its rules name log sources, the web shows its name.
import { chronicle } from './chronicle/index.js';
import { defenderXdr } from './defender-xdr/index.js';
import { elastic } from './elastic/index.js';
import { panther } from './panther/index.js';
import { sentinel } from './sentinel/index.js';
import { sigma } from './sigma/index.js';
import { splunk } from './splunk/index.js';
import type { PlatformInfo } from './types.js';

/** Every platform. Adding one is a folder (its `PlatformInfo`) and a line here. */
export const platforms: readonly PlatformInfo[] = [sentinel, elastic, sigma, chronicle, panther, splunk, defenderXdr];

const byId = new Map(platforms.map((p) => [p.id, p]));

export function platformInfo(id: string): PlatformInfo | undefined {
  return byId.get(id);
}
