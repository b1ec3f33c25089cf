import type { ProviderSpec } from './types.js';

// Sysmon event ids are 1-29 (1 process creation, 3 network connection, 10 process access ...).
// Only rules that name the Sysmon log count: Sigma categories such as process_creation are
// generic (Sysmon, Security 4688, EDR ...), so they select nothing here.
const sysmonId = '^([1-9]|[12]\\d)$';

export const sysmon: ProviderSpec = {
  id: 'sysmon',
  name: 'Sysmon',
  knownEvents: Array.from({ length: 29 }, (_, i) => String(i + 1)),
  selectors: {
    sigma: [{ sources: ['windows/sysmon', 'linux/sysmon', 'service:sysmon'], eventFields: ['EventID'], eventPattern: sysmonId }],
    splunk: [
      {
        sources: [
          'source:*Microsoft-Windows-Sysmon/Operational',
          'sourcetype:*Microsoft-Windows-Sysmon/Operational',
          'source:Syslog:Linux-Sysmon/Operational',
        ],
        eventFields: ['EventCode', 'EventID'],
        eventPattern: sysmonId,
      },
    ],
    'azure-monitor': [
      { sources: ['Sysmon', 'SysmonEvent', 'Sysmon_*'], eventFields: ['EventID', 'EventId'], eventPattern: sysmonId },
      // The Event (and WindowsEvent) table holds every channel: Sysmon's rows by their source.
      {
        where: [
          { field: 'Source', values: ['Microsoft-Windows-Sysmon'] },
          { field: 'Provider', values: ['Microsoft-Windows-Sysmon'] },
        ],
        eventFields: ['EventID', 'EventId'],
        eventPattern: sysmonId,
      },
    ],
    ecs: [
      {
        sources: ['logs-windows.sysmon_operational*'],
        where: [
          { field: 'event.dataset', values: ['windows.sysmon_operational'] },
          { field: 'data_stream.dataset', values: ['windows.sysmon_operational'] },
          { field: 'event.module', values: ['sysmon'] },
          { field: 'event.provider', values: ['Microsoft-Windows-Sysmon'] },
          { field: 'winlog.channel', values: ['Microsoft-Windows-Sysmon/Operational'] },
        ],
        eventFields: ['event.code', 'winlog.event_id'],
        eventPattern: sysmonId,
      },
    ],
    udm: [{ sources: ['product:Microsoft-Windows-Sysmon'], eventFields: ['metadata.product_event_type'], eventPattern: sysmonId }],
  },
};
