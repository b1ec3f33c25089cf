import type { ProviderSpec } from './types.js';

// PowerShell's own logs: 4103 module logging, 4104 script block logging (Operational channel);
// 400, 600, 800 engine, provider and pipeline events (Windows PowerShell classic channel).
const ids = '^(4[01]0\\d|[4-8]00)$';

export const windowsPowerShell: ProviderSpec = {
  id: 'windows-powershell',
  name: 'Windows PowerShell',
  knownEvents: ['4100', '4103', '4104', '4105', '4106', '400', '403', '600', '800'],
  selectors: {
    // Sigma's PowerShell categories each hold one event.
    sigma: [
      { sources: ['category:ps_script'], eventFields: [], events: ['4104'] },
      { sources: ['category:ps_module'], eventFields: [], events: ['4103'] },
      { sources: ['category:ps_classic_start'], eventFields: [], events: ['400'] },
      { sources: ['category:ps_classic_provider_start'], eventFields: [], events: ['600'] },
      { sources: ['category:ps_classic_script'], eventFields: [], events: ['800'] },
      { sources: ['windows/powershell', 'windows/powershell-classic'], eventFields: ['EventID'], eventPattern: ids },
    ],
    splunk: [
      {
        sources: ['source:*Microsoft-Windows-PowerShell/Operational', 'source:*Windows PowerShell'],
        eventFields: ['EventCode', 'EventID'],
        eventPattern: ids,
      },
    ],
    'azure-monitor': [
      {
        where: [
          { field: 'Source', values: ['Microsoft-Windows-PowerShell', 'PowerShell'] },
          { field: 'Provider', values: ['Microsoft-Windows-PowerShell'] },
          { field: 'Channel', values: ['Microsoft-Windows-PowerShell/Operational', 'Windows PowerShell'] },
        ],
        eventFields: ['EventID', 'EventId'],
        eventPattern: ids,
      },
    ],
    ecs: [
      {
        sources: ['logs-windows.powershell*'],
        where: [
          { field: 'event.dataset', values: ['windows.powershell', 'windows.powershell_operational'] },
          { field: 'data_stream.dataset', values: ['windows.powershell', 'windows.powershell_operational'] },
          { field: 'event.provider', values: ['Microsoft-Windows-PowerShell'] },
          { field: 'winlog.channel', values: ['Microsoft-Windows-PowerShell/Operational', 'Windows PowerShell'] },
        ],
        eventFields: ['event.code', 'winlog.event_id'],
        eventPattern: ids,
      },
      // Only script block logging (4104) fills this field: testing it selects that event.
      { where: [{ field: 'powershell.file.script_block_text', values: ['*'] }], eventFields: [], events: ['4104'] },
    ],
    udm: [
      {
        sources: ['product:PowerShell', 'product:Microsoft-Windows-PowerShell'],
        eventFields: ['metadata.product_event_type'],
        eventPattern: ids,
      },
    ],
  },
};
