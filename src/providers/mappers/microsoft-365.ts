import type { EventMapper, FieldSource } from './types.js';

/** A field of the record as the Management Activity API spells it, or as Panther keeps it (lower case). */
const field = (name: string): string[] => [name, name.toLowerCase()];

// An Office 365 Management Activity API record (`Operation`, `Workload`, `RecordType`, `UserId`,
// `Parameters` as `{Name, Value}` items), as the API gives it or as Panther keeps it (keys in lower
// case). Sentinel: the OfficeActivity table. Elastic: the Microsoft 365 integration's `o365.audit`
// dataset (its pipeline: event.action from Operation, event.provider from Workload, event.category
// `web`, event.outcome from ResultStatus, a success when it says nothing else, `o365.audit.Parameters`
// by name). Splunk: the `o365:management:activity` sourcetype's JSON names.
const outcome: FieldSource = {
  from: field('ResultStatus'),
  values: { Succeeded: 'success', Success: 'success', PartiallySucceeded: 'success', True: 'success', Failed: 'failure', False: 'failure' },
  otherwise: 'success',
};

export const microsoft365Mapper: EventMapper = {
  provider: 'microsoft-365',
  logs: ['Office365.Audit', 'OfficeActivity', 'o365:management:activity'],
  shapes: [{ has: ['Operation', 'Workload', 'RecordType'] }, { has: ['operation', 'workload', 'recordtype'] }],
  targets: [
    { schema: 'panther', logs: ['Office365.Audit'], flatten: 'raw', fields: { p_log_type: { value: 'Office365.Audit' } } },
    {
      schema: 'splunk',
      logs: ['o365:management:activity'],
      flatten: 'spath',
      fields: { sourcetype: { value: 'o365:management:activity' } },
    },
    {
      schema: 'azure-monitor',
      logs: ['OfficeActivity'],
      fields: {
        Operation: field('Operation'),
        OfficeWorkload: field('Workload'),
        UserId: field('UserId'),
        ClientIP: field('ClientIP'),
        ResultStatus: field('ResultStatus'),
        OrganizationId: field('OrganizationId'),
        OfficeObjectId: field('ObjectId'),
        OfficeId: field('Id'),
        ExternalAccess: field('ExternalAccess'),
        OriginatingServer: field('OriginatingServer'),
        UserAgent: field('UserAgent'),
        MailboxOwnerUPN: field('MailboxOwnerUPN'),
        SourceFileName: field('SourceFileName'),
        Parameters: { from: field('Parameters'), as: 'json' },
      },
    },
    {
      schema: 'ecs',
      logs: ['o365.audit'],
      copyUnder: 'o365.audit.',
      fields: {
        'data_stream.dataset': { value: 'o365.audit' },
        'event.dataset': { value: 'o365.audit' },
        'event.module': { value: 'o365' },
        'event.category': { value: 'web' },
        'event.type': { value: 'info' },
        'event.action': field('Operation'),
        'event.provider': field('Workload'),
        'event.id': field('Id'),
        'event.outcome': outcome,
        'user.id': field('UserId'),
        'organization.id': field('OrganizationId'),
        'user_agent.original': field('UserAgent'),
        'o365.audit.Parameters': { from: field('Parameters'), as: 'name-value' },
      },
    },
  ],
};
