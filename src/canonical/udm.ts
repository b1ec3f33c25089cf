import type { CanonicalFieldMap } from './types.js';

// Chronicle UDM. In a PROCESS_LAUNCH event the principal process is the parent and the target
// the new process; in file, network and registry events the principal process is the actor.
export const udmFields: CanonicalFieldMap = {
  schema: 'udm',
  fields: {
    'target.process.file.full_path': 'process.executable',
    'target.process.command_line': 'process.command_line',
    'target.process.file.sha256': 'hash.sha256',
    'target.process.file.sha1': 'hash.sha1',
    'target.process.file.md5': 'hash.md5',
    'target.file.full_path': 'file.path',
    'target.file.sha256': 'hash.sha256',
    'target.file.sha1': 'hash.sha1',
    'target.file.md5': 'hash.md5',
    'principal.process.file.sha256': 'hash.sha256',
    'target.registry.registry_key': 'registry.path',
    'target.registry.registry_value_name': 'registry.value',
    'target.registry.registry_value_data': 'registry.data',
    'network.dns.questions.name': 'dns.question.name',
    'target.url': 'url.original',
    'network.http.user_agent': 'user_agent.original',
    'principal.ip': 'source.ip',
    'principal.port': 'source.port',
    'target.ip': 'destination.ip',
    'target.port': 'destination.port',
    'principal.hostname': 'host.name',
    'principal.user.userid': 'user.name',
    'target.user.userid': 'user.target.name',
    'metadata.product_event_type': 'event.action',
  },
  bySource: [
    {
      sources: ['event_type:PROCESS_LAUNCH'],
      fields: {
        'principal.process.file.full_path': 'process.parent.executable',
        'principal.process.command_line': 'process.parent.command_line',
        'principal.process.file.sha256': null,
      },
    },
    {
      sources: ['event_type:PROCESS_OPEN', 'event_type:PROCESS_INJECTION'],
      fields: {
        'principal.process.file.full_path': 'process.executable',
        'principal.process.command_line': 'process.command_line',
        'target.process.file.full_path': 'target.process.executable',
        'target.process.command_line': null,
      },
    },
    {
      sources: ['event_type:FILE_*', 'event_type:NETWORK_*', 'event_type:REGISTRY_*', 'event_type:PROCESS_MODULE_LOAD'],
      fields: { 'principal.process.file.full_path': 'process.executable', 'principal.process.command_line': 'process.command_line' },
    },
    { sources: ['event_type:PROCESS_MODULE_LOAD'], fields: { 'target.file.full_path': 'dll.path' } },
  ],
};
