import type { ProviderSpec } from './types.js';

export const tailscale: ProviderSpec = {
  id: 'tailscale',
  name: 'Tailscale audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Tailscale.Audit', '*tailscale_audit'],
        where: [{ field: 'p_log_type', values: ['Tailscale.Audit'] }],
        eventFields: ['action'],
      },
    ],
  },
};
