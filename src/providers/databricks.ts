import type { ProviderSpec } from './types.js';

export const databricks: ProviderSpec = {
  id: 'databricks',
  name: 'Databricks audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Databricks.Audit', '*databricks_audit'],
        where: [{ field: 'p_log_type', values: ['Databricks.Audit'] }],
        eventFields: ['actionName'],
      },
    ],
  },
};
