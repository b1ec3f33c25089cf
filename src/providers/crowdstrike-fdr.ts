import type { ProviderSpec } from './types.js';

// Falcon Data Replicator: events are named by `event_simpleName` (ProcessRollup2, DnsRequest ...).
// Panther files FDR events that have no schema of their own under Crowdstrike.Unknown.
export const crowdstrikeFdr: ProviderSpec = {
  id: 'crowdstrike-fdr',
  name: 'CrowdStrike Falcon Data Replicator',
  selectors: {
    panther: [
      {
        sources: [
          'logtype:Crowdstrike.FDREvent',
          'logtype:Crowdstrike.ProcessRollup2',
          'logtype:Crowdstrike.DNSRequest',
          'logtype:Crowdstrike.Unknown',
          '*crowdstrike_fdrevent',
          '*crowdstrike_unknown',
        ],
        where: [{ field: 'p_log_type', values: ['Crowdstrike.FDREvent', 'Crowdstrike.Unknown'] }],
        eventFields: ['event_simpleName', 'fdr_event_type'],
      },
    ],
    ecs: [
      {
        sources: ['logs-crowdstrike.fdr*'],
        where: [
          { field: 'event.dataset', values: ['crowdstrike.fdr'] },
          { field: 'data_stream.dataset', values: ['crowdstrike.fdr'] },
        ],
        eventFields: ['crowdstrike.event_simpleName', 'crowdstrike.event_simple_name'],
      },
    ],
    splunk: [{ sources: ['sourcetype:crowdstrike:events:sensor', 'sourcetype:crowdstrike:edr*'], eventFields: ['event_simpleName'] }],
  },
};
