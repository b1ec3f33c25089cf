import type { ProviderSpec } from './types.js';

// Security log event ids are four digits; Sysmon's share the same fields with 1-29.
const fourDigits = '^\\d{4}$';

export const windowsSecurity: ProviderSpec = {
  id: 'windows-security',
  name: 'Windows Security',
  selectors: {
    'azure-monitor': [
      { sources: ['SecurityEvent', 'WindowsEvent'], eventFields: ['EventID', 'EventId'], eventPattern: fourDigits },
    ],
    ecs: [
      {
        sources: ['winlogbeat-*', 'logs-system.security*', 'logs-windows.forwarded*'],
        where: [
          { field: 'event.dataset', values: ['system.security', 'windows.security'] },
          { field: 'data_stream.dataset', values: ['system.security', 'windows.security'] },
          { field: 'event.provider', values: ['Microsoft-Windows-Security-Auditing'] },
          { field: 'winlog.channel', values: ['Security'] },
        ],
        eventFields: ['event.code', 'winlog.event_id'],
        eventPattern: fourDigits,
      },
    ],
  },
};
