import type { ProviderSpec } from './types.js';

export const box: ProviderSpec = {
  id: 'box',
  name: 'Box',
  selectors: {
    panther: [
      {
        sources: ['logtype:Box.Event', '*box_event'],
        where: [{ field: 'p_log_type', values: ['Box.Event'] }],
        eventFields: ['event_type'],
      },
    ],
  },
};
