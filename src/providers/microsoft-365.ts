import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

// Operations ending in a period are Entra ID's, logged here too (see entra-id-audit).
const notEntra = { eventPattern: '(?<!\\.)$' };

export const microsoft365: ProviderSpec = {
  id: 'microsoft-365',
  name: 'Microsoft 365 (Exchange, SharePoint, Teams)',
  selectors: {
    panther: [
      {
        sources: ['logtype:Microsoft365.Audit.*', '*microsoft365_audit_*'],
        where: [{ field: 'p_log_type', values: ['Microsoft365.Audit.*'] }],
        eventFields: ['Operation'],
        ...notEntra,
      },
    ],
    sigma: [
      { sources: ['m365/audit'], eventFields: ['Operation'], ...notEntra },
      { sources: ['m365/exchange'], eventFields: ['eventName'] },
    ],
    splunk: [{ sources: ['sourcetype:o365:management:activity'], eventFields: ['Operation'], ...notEntra }],
    'azure-monitor': [
      { sources: ['OfficeActivity', 'ExchangeAdmin'], eventFields: ['Operation'] },
      // Defender XDR CloudAppEvents: the Microsoft 365 apps' rows, by the app the query names.
      {
        where: [
          {
            field: 'Application',
            values: [
              'Microsoft Exchange Online',
              'Microsoft SharePoint Online',
              'Microsoft OneDrive for Business',
              'Microsoft Teams',
              'Office 365',
            ],
          },
        ],
        eventFields: ['ActionType'],
      },
      // Without the app, CloudAppEvents rows are any product's (Defender XDR's own actions too).
      { sources: ['CloudAppEvents'], eventFields: ['ActionType'], knownOnly: true, ...notEntra },
    ],
    ecs: [{ ...ecsDataset('o365.audit', ['event.action', 'o365.audit.Operation']), ...notEntra }],
    udm: [{ sources: ['log_type:OFFICE_365', 'product:Office 365'], eventFields: ['metadata.product_event_type'], ...notEntra }],
  },
};
