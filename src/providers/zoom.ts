import type { ProviderSpec } from './types.js';

export const zoom: ProviderSpec = {
  id: 'zoom',
  name: 'Zoom',
  selectors: {
    panther: [
      {
        sources: ['logtype:Zoom.Operation', 'logtype:Zoom.Activity', '*zoom_operation', '*zoom_activity'],
        where: [{ field: 'p_log_type', values: ['Zoom.*'] }],
        eventFields: ['action', 'type'],
      },
    ],
  },
};
