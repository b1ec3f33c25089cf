import type { PlatformInfo } from '../types.js';

/** Microsoft Defender XDR advanced hunting: KQL over its tables (`DeviceProcessEvents` ...), Sentinel's schema. */
export const defenderXdr: PlatformInfo = {
  id: 'defender-xdr',
  name: 'Microsoft Defender XDR',
  schema: 'azure-monitor',
  logSources: [{ kind: 'table', written: 'every' }],
};
