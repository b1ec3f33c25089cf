import type { ProviderSpec } from './types.js';

// Security log event ids are four digits; Sysmon's share the same fields with 1-29, and
// PowerShell's 4100-4106 (rules often read both logs at once) are not the Security log's.
const fourDigits = '^(?!41\\d\\d$)\\d{4}$';

export const windowsSecurity: ProviderSpec = {
  id: 'windows-security',
  name: 'Windows Security',
  selectors: {
    panther: [
      {
        sources: ['logtype:Windows.EventLogs', '*windows_eventlogs'],
        where: [{ field: 'p_log_type', values: ['Windows.EventLogs'] }],
        eventFields: ['EventID'],
        eventPattern: '^(?!41\\d\\d$)[1-6]\\d{3}$',
      },
    ],
    sigma: [{ sources: ['windows/security'], eventFields: ['EventID'], eventPattern: fourDigits }],
    splunk: [
      {
        sources: ['source:XmlWinEventLog:Security', 'source:WinEventLog:Security', 'eventtype:wineventlog_security'],
        // signature_id: the Windows add-on's CIM alias of EventCode.
        eventFields: ['EventCode', 'EventID', 'signature_id'],
        eventPattern: fourDigits,
      },
      // The CIM data models keep a Windows event's code as the change's result_id and the
      // authentication's signature_id: a four-digit code there names this log's event.
      {
        where: [
          { field: 'All_Changes.result_id', values: ['*'] },
          { field: 'Authentication.signature_id', values: ['*'] },
        ],
        eventFields: ['All_Changes.result_id', 'Authentication.signature_id'],
        eventPattern: fourDigits,
      },
    ],
    'azure-monitor': [{ sources: ['SecurityEvent', 'WindowsEvent'], eventFields: ['EventID', 'EventId'], eventPattern: fourDigits }],
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
        // Winlogbeat's and the Windows integration's names for Security log events.
        aliases: {
          fields: ['event.action'],
          names: {
            'audit-log-cleared': ['1102'],
            'logged-in': ['4624'],
            'logon-failed': ['4625'],
            'logged-out': ['4634', '4647'],
            'logged-in-explicit': ['4648'],
            'logged-in-special': ['4672'],
            'service-installed': ['4697'],
            'scheduled-task-created': ['4698'],
            'scheduled-task-deleted': ['4699'],
            'scheduled-task-updated': ['4702'],
            'added-user-account': ['4720'],
            'enabled-user-account': ['4722'],
            'changed-password': ['4723'],
            'reset-password': ['4724'],
            'disabled-user-account': ['4725'],
            'deleted-user-account': ['4726'],
            'added-member-to-group': ['4728', '4732', '4756'],
            'removed-member-from-group': ['4729', '4733', '4757'],
            'modified-user-account': ['4738'],
            'locked-out-user-account': ['4740'],
            'added-computer-account': ['4741'],
            'changed-computer-account': ['4742'],
            'deleted-computer-account': ['4743'],
            'unlocked-user-account': ['4767'],
            'kerberos-authentication-ticket-requested': ['4768'],
            'kerberos-service-ticket-requested': ['4769'],
            'kerberos-preauth-failed': ['4771'],
            'credential-validated': ['4776'],
            'renamed-user-account': ['4781'],
            'network-share-object-accessed': ['5140'],
            'network-share-object-access-checked': ['5145'],
            // An event Winlogbeat has no verb for keeps its task category, when that names one event.
            'token right adjusted events': ['4703'],
          },
        },
      },
    ],
    // Chronicle rules often select Windows logs by vendor only: the Security log's id range
    // (1100-6424) keeps System (7045), ESENT (325) and Sysmon (1-29) ids out.
    udm: [
      {
        sources: ['log_type:WINEVTLOG', 'product:Microsoft-Windows-Security-Auditing', 'vendor:Microsoft'],
        eventFields: ['metadata.product_event_type'],
        eventPattern: '^(?!41\\d\\d$)[1-6]\\d{3}$',
      },
      // With no vendor or log type, a code in that range is this log's when other rules name it so.
      {
        where: [{ field: 'metadata.product_event_type', values: ['*'] }],
        eventFields: ['metadata.product_event_type'],
        eventPattern: '^(?!41\\d\\d$)[1-6]\\d{3}$',
        knownOnly: true,
      },
    ],
  },
};
