import type { ProviderSpec } from './types.js';

export const wizAudit: ProviderSpec = {
  id: 'wiz-audit',
  name: 'Wiz audit',
  selectors: {
    panther: [
      { sources: ['logtype:Wiz.Audit', '*wiz_audit'], where: [{ field: 'p_log_type', values: ['Wiz.Audit'] }], eventFields: ['action'] },
    ],
  },
};
