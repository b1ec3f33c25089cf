import type { CanonicalFieldMap } from './types.js';

// Defender XDR advanced hunting tables, SecurityEvent and ASIM, as Sentinel and Defender query them.
// In DeviceProcessEvents the Initiating* process is the parent; in the other Device* tables it is
// the process that acts, and FileName/FolderPath name the process, file or DLL by table.

const actingProcess = {
  InitiatingProcessFileName: 'process.name',
  InitiatingProcessFolderPath: 'process.executable',
  InitiatingProcessCommandLine: 'process.command_line',
  InitiatingProcessVersionInfoOriginalFileName: 'process.pe.original_file_name',
  InitiatingProcessSHA256: 'hash.sha256',
  InitiatingProcessSHA1: 'hash.sha1',
  InitiatingProcessMD5: 'hash.md5',
  InitiatingProcessAccountName: 'user.name',
  InitiatingProcessParentFileName: 'process.parent.name',
};

export const azureMonitorFields: CanonicalFieldMap = {
  schema: 'azure-monitor',
  fields: {
    ...actingProcess,
    ProcessCommandLine: 'process.command_line',
    ProcessVersionInfoOriginalFileName: 'process.pe.original_file_name',
    SHA256: 'hash.sha256',
    SHA1: 'hash.sha1',
    MD5: 'hash.md5',
    RemoteIP: 'destination.ip',
    RemotePort: 'destination.port',
    LocalIP: 'source.ip',
    LocalPort: 'source.port',
    RemoteUrl: 'url.original',
    RegistryKey: 'registry.path',
    RegistryValueName: 'registry.value',
    RegistryValueData: 'registry.data',
    ActionType: 'event.action',
    AccountName: 'user.name',
    AccountUpn: 'user.email',
    DeviceName: 'host.name',
    UserAgent: 'user_agent.original',
    // SecurityEvent (Windows Security log)
    NewProcessName: 'process.executable',
    ParentProcessName: 'process.parent.executable',
    CommandLine: 'process.command_line',
    Process: 'process.name',
    SubjectUserName: 'user.name',
    TargetUserName: 'user.target.name',
    IpAddress: 'source.ip',
    Computer: 'host.name',
    EventID: 'event.code',
    ServiceName: 'service.name',
    // ASIM
    TargetProcessName: 'process.executable',
    TargetProcessCommandLine: 'process.command_line',
    ParentProcessCommandLine: 'process.parent.command_line',
    TargetFilePath: 'file.path',
    TargetFileName: 'file.name',
    SrcIpAddr: 'source.ip',
    SrcPortNumber: 'source.port',
    DstIpAddr: 'destination.ip',
    DstPortNumber: 'destination.port',
    DstHostname: 'destination.domain',
    ActorUsername: 'user.name',
    TargetUsername: 'user.target.name',
    DnsQuery: 'dns.question.name',
    Url: 'url.original',
    HttpUserAgent: 'user_agent.original',
    DvcHostname: 'host.name',
    // Cloud activity
    OperationName: 'event.action',
    OperationNameValue: 'event.action',
  },
  bySource: [
    {
      sources: ['DeviceProcessEvents'],
      fields: {
        FileName: 'process.name',
        FolderPath: 'process.executable',
        InitiatingProcessFileName: 'process.parent.name',
        InitiatingProcessFolderPath: 'process.parent.executable',
        InitiatingProcessCommandLine: 'process.parent.command_line',
        InitiatingProcessVersionInfoOriginalFileName: null,
        InitiatingProcessSHA256: null,
        InitiatingProcessSHA1: null,
        InitiatingProcessMD5: null,
        InitiatingProcessParentFileName: null,
      },
    },
    { sources: ['DeviceFileEvents'], fields: { FileName: 'file.name', FolderPath: 'file.path' } },
    { sources: ['DeviceImageLoadEvents'], fields: { FileName: 'dll.name', FolderPath: 'dll.path' } },
    { sources: ['AWSCloudTrail'], fields: { EventName: 'event.action', SourceIpAddress: 'source.ip', UserAgent: 'user_agent.original' } },
  ],
};
