import type { ProviderSpec } from './types.js';

export const openaiAudit: ProviderSpec = {
  id: 'openai-audit',
  name: 'OpenAI audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:OpenAI.Audit', '*openai_audit'],
        where: [{ field: 'p_log_type', values: ['OpenAI.Audit'] }],
        eventFields: ['type'],
      },
    ],
  },
};
