import type { ProviderSelector, ProviderSpec } from './types.js';

// An auditd event is a system call (`execve`, `ptrace`, `init_module`) or a user-space record
// type (ADD_USER, SERVICE_STOP, USER_LOGIN). The record types every syscall event carries
// (SYSCALL, EXECVE, PATH, CWD, PROCTITLE, SOCKADDR) say which part of an event a row is, not
// what happened, so they are no event names.
const notAPart = '^(?!(?:SYSCALL|EXECVE|PATH|CWD|PROCTITLE|SOCKADDR|syscall|execve|path|cwd|proctitle|sockaddr)$)';

/** Syscall names as they are; record types without the parts of a syscall event. */
function bySyscallOrType(sources: string[], syscall: string[], type: string[]): ProviderSelector[] {
  return [
    { sources, eventFields: syscall },
    { sources, eventFields: type, eventPattern: notAPart },
  ];
}

export const linuxAuditd: ProviderSpec = {
  id: 'linux-auditd',
  name: 'Linux auditd',
  selectors: {
    sigma: bySyscallOrType(['linux/auditd'], ['syscall', 'SYSCALL'], ['type']),
    splunk: bySyscallOrType(['sourcetype:linux:audit', 'sourcetype:linux_audit'], ['syscall'], ['type']),
    'azure-monitor': bySyscallOrType(['LinuxAudit*', 'AUOMS*'], ['SYSCALL', 'syscall', 'syscall_s'], ['RecordType', 'type_s']),
    ecs: [
      {
        sources: ['logs-auditd_manager.auditd*', 'logs-auditd.log*'],
        where: [
          { field: 'event.dataset', values: ['auditd_manager.auditd', 'auditd.log'] },
          { field: 'data_stream.dataset', values: ['auditd_manager.auditd', 'auditd.log'] },
        ],
        eventFields: ['auditd.message_type', 'auditd.log.record_type'],
        eventPattern: notAPart,
      },
      { sources: ['logs-auditd_manager.auditd*', 'logs-auditd.log*'], eventFields: ['auditd.data.syscall', 'auditd.log.syscall'] },
    ],
  },
};
