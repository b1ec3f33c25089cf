import type { ProviderSpec } from './types.js';

export const zscalerZiaAudit: ProviderSpec = {
  id: 'zscaler-zia-audit',
  name: 'Zscaler ZIA admin audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Zscaler.ZIA.AdminAuditLog', '*zscaler_zia_adminauditlog'],
        where: [{ field: 'p_log_type', values: ['Zscaler.ZIA.AdminAuditLog'] }],
        eventFields: ['event.action'],
      },
    ],
  },
};
