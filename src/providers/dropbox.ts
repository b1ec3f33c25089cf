import type { ProviderSpec } from './types.js';

export const dropbox: ProviderSpec = {
  id: 'dropbox',
  name: 'Dropbox team events',
  selectors: {
    panther: [
      {
        sources: ['logtype:Dropbox.TeamEvent', '*dropbox_teamevent'],
        where: [{ field: 'p_log_type', values: ['Dropbox.TeamEvent'] }],
        eventFields: ['event_type.tag', 'event_type._tag', 'event_type:tag'],
      },
    ],
  },
};
