import { azureMonitorFields } from './azure-monitor.js';
import { ecsFields } from './ecs.js';
import { pantherFields } from './panther.js';
import { sigmaFields } from './sigma.js';
import { splunkFields } from './splunk.js';
import type { CanonicalFieldMap } from './types.js';
import { udmFields } from './udm.js';

/** Every schema's canonical fields. Adding one is a file and a line here. */
export const canonicalFieldMaps: readonly CanonicalFieldMap[] = [
  azureMonitorFields,
  ecsFields,
  sigmaFields,
  splunkFields,
  udmFields,
  pantherFields,
];
