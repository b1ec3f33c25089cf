import type { ProviderSpec } from './types.js';

export const bitbucketAudit: ProviderSpec = {
  id: 'bitbucket-audit',
  name: 'Bitbucket audit',
  selectors: {
    sigma: [{ sources: ['bitbucket/audit'], eventFields: ['auditType.action'] }],
  },
};
