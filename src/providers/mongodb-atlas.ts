import type { ProviderSpec } from './types.js';

export const mongodbAtlas: ProviderSpec = {
  id: 'mongodb-atlas',
  name: 'MongoDB Atlas',
  selectors: {
    panther: [
      {
        sources: ['logtype:MongoDB.*', '*mongodb_*'],
        where: [{ field: 'p_log_type', values: ['MongoDB.*'] }],
        eventFields: ['eventTypeName'],
      },
    ],
  },
};
