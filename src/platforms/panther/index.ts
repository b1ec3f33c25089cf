import type { PlatformInfo } from '../types.js';

/** Panther: a rule's sources are its log types (`logtype:Okta.SystemLog`, from LogTypes or a query's table). */
export const panther: PlatformInfo = {
  id: 'panther',
  name: 'Panther',
  schema: 'panther',
  logSources: [{ kind: 'logtype', written: 'prefixed' }],
};
