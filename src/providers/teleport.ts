import type { ProviderSpec } from './types.js';

export const teleport: ProviderSpec = {
  id: 'teleport',
  name: 'Teleport audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Gravitational.TeleportAudit', '*gravitational_teleportaudit'],
        where: [{ field: 'p_log_type', values: ['Gravitational.TeleportAudit'] }],
        eventFields: ['event'],
      },
    ],
  },
};
