import type { EventMapper, FieldSource, MapTarget } from './types.js';

// Windows events as evtx dumps and the Sigma regression samples give them (`Event.System` +
// `Event.EventData`, or already flat), read flat: System fields by name (`EventID`, `Channel`,
// `Computer`, `Provider_Name`), then EventData's (`Image`, `CommandLine`, `NewProcessName` ...).
// Sigma rules read them as they are. A process creation (Sysmon 1, Security 4688) is also Defender's
// DeviceProcessEvents row, Elastic's `process` event (event.category process, event.type start),
// Splunk's Endpoint data model `Processes` fields and a UDM PROCESS_LAUNCH; every event is also its
// channel's Sentinel, Elastic (`winlog.*`) and Splunk (XmlWinEventLog, `EventCode`) record.

/** Where a process creation names its image, command line and parent. */
interface ProcessFields {
  image: string;
  commandLine: string;
  parentImage: string;
  parentCommandLine?: string;
  processId?: string;
  parentProcessId?: string;
}

const basename = (from: string): FieldSource => ({ from, as: 'basename' });

function deviceProcessEvents(p: ProcessFields, when: Record<string, string[]>): MapTarget {
  return {
    schema: 'azure-monitor',
    when,
    logs: ['DeviceProcessEvents'],
    fields: {
      ActionType: { value: 'ProcessCreated' },
      DeviceName: 'Computer',
      FileName: basename(p.image),
      FolderPath: p.image,
      ProcessCommandLine: p.commandLine,
      InitiatingProcessFileName: basename(p.parentImage),
      InitiatingProcessFolderPath: p.parentImage,
      ...(p.parentCommandLine ? { InitiatingProcessCommandLine: p.parentCommandLine } : {}),
      ...(p.processId ? { ProcessId: p.processId } : {}),
      ...(p.parentProcessId ? { InitiatingProcessId: p.parentProcessId } : {}),
      ProcessVersionInfoOriginalFileName: 'OriginalFileName',
      ProcessVersionInfoCompanyName: 'Company',
      ProcessVersionInfoProductName: 'Product',
      ProcessVersionInfoFileDescription: 'Description',
      ProcessIntegrityLevel: 'IntegrityLevel',
    },
  };
}

/** Every event of the channel in Elastic's Windows fields (`winlog.*`, `event.code`). */
function winlog(dataset: string): Record<string, FieldSource> {
  return {
    'data_stream.dataset': { value: dataset },
    'event.dataset': { value: dataset },
    'event.code': { from: 'EventID', as: 'string' },
    'event.provider': 'Provider_Name',
    'host.name': 'Computer',
    'host.os.type': { value: 'windows' },
    'winlog.channel': 'Channel',
    'winlog.event_id': { from: 'EventID', as: 'string' },
    'winlog.provider_name': 'Provider_Name',
    'winlog.computer_name': 'Computer',
    'winlog.record_id': { from: 'EventRecordID', as: 'string' },
  };
}

function elasticProcess(dataset: string, p: ProcessFields, when: Record<string, string[]>): MapTarget {
  return {
    schema: 'ecs',
    when,
    logs: [dataset],
    copyUnder: 'winlog.event_data.',
    fields: {
      ...winlog(dataset),
      'event.category': { value: 'process' },
      'event.type': { value: 'start' },
      'process.executable': p.image,
      'process.name': basename(p.image),
      'process.command_line': p.commandLine,
      'process.args': { from: p.commandLine, as: 'windows-args' },
      'process.parent.executable': p.parentImage,
      'process.parent.name': basename(p.parentImage),
      ...(p.parentCommandLine ? { 'process.parent.command_line': p.parentCommandLine } : {}),
      'process.pe.original_file_name': 'OriginalFileName',
      'process.pe.company': 'Company',
      'process.pe.product': 'Product',
      'process.pe.description': 'Description',
      'process.pe.file_version': 'FileVersion',
      'process.working_directory': 'CurrentDirectory',
    },
  };
}

/** Splunk's Windows event log sourcetype: the event's fields by name, EventCode for its id. */
function xmlWinEventLog(channel: string): Record<string, FieldSource> {
  return {
    sourcetype: { value: 'XmlWinEventLog' },
    source: { value: `XmlWinEventLog:${channel}` },
    EventCode: { from: 'EventID', as: 'string' },
  };
}

function splunkProcess(channel: string, p: ProcessFields, when: Record<string, string[]>): MapTarget {
  return {
    schema: 'splunk',
    when,
    logs: [`XmlWinEventLog:${channel}`],
    flatten: 'raw',
    fields: {
      ...xmlWinEventLog(channel),
      // The Endpoint data model's Processes dataset, as tstats rules name it.
      'Processes.process': p.commandLine,
      'Processes.process_name': basename(p.image),
      'Processes.process_path': p.image,
      'Processes.parent_process_name': basename(p.parentImage),
      'Processes.parent_process_path': p.parentImage,
      ...(p.parentCommandLine ? { 'Processes.parent_process': p.parentCommandLine } : {}),
      'Processes.original_file_name': 'OriginalFileName',
      'Processes.dest': 'Computer',
    },
  };
}

function udmProcess(logType: string, p: ProcessFields, when: Record<string, string[]>): MapTarget {
  return {
    schema: 'udm',
    when,
    logs: [logType],
    fields: {
      'metadata.log_type': { value: logType },
      'metadata.event_type': { value: 'PROCESS_LAUNCH' },
      'metadata.product_event_type': { from: 'EventID', as: 'string' },
      'principal.hostname': 'Computer',
      'target.process.file.full_path': p.image,
      'target.process.command_line': p.commandLine,
      'principal.process.file.full_path': p.parentImage,
      ...(p.parentCommandLine ? { 'principal.process.command_line': p.parentCommandLine } : {}),
    },
  };
}

const sysmonChannel = 'Microsoft-Windows-Sysmon/Operational';
const sysmonProcess: ProcessFields = {
  image: 'Image',
  commandLine: 'CommandLine',
  parentImage: 'ParentImage',
  parentCommandLine: 'ParentCommandLine',
  processId: 'ProcessId',
  parentProcessId: 'ParentProcessId',
};
const sysmonCreation = { EventID: ['1'] };

export const sysmonMapper: EventMapper = {
  provider: 'sysmon',
  windowsEvent: true,
  logs: [],
  shapes: [{ has: ['EventID'], equals: { Channel: [sysmonChannel] } }],
  targets: [
    { schema: 'ecs', logs: ['windows.sysmon_operational'], copyUnder: 'winlog.event_data.', fields: winlog('windows.sysmon_operational') },
    elasticProcess('windows.sysmon_operational', sysmonProcess, sysmonCreation),
    deviceProcessEvents(sysmonProcess, sysmonCreation),
    { schema: 'splunk', logs: [`XmlWinEventLog:${sysmonChannel}`], flatten: 'raw', fields: xmlWinEventLog(sysmonChannel) },
    splunkProcess(sysmonChannel, sysmonProcess, sysmonCreation),
    udmProcess('WINDOWS_SYSMON', sysmonProcess, sysmonCreation),
  ],
};

const securityProcess: ProcessFields = { image: 'NewProcessName', commandLine: 'CommandLine', parentImage: 'ParentProcessName' };
const securityCreation = { EventID: ['4688'] };

export const windowsSecurityMapper: EventMapper = {
  provider: 'windows-security',
  windowsEvent: true,
  logs: [],
  shapes: [{ has: ['EventID'], equals: { Channel: ['Security'] } }],
  targets: [
    // Sentinel's SecurityEvent: EventData fields are columns of their own names.
    { schema: 'azure-monitor', logs: ['SecurityEvent'], flatten: 'raw' },
    { schema: 'ecs', logs: ['system.security'], copyUnder: 'winlog.event_data.', fields: winlog('system.security') },
    elasticProcess('system.security', securityProcess, securityCreation),
    deviceProcessEvents(securityProcess, securityCreation),
    { schema: 'splunk', logs: ['XmlWinEventLog:Security'], flatten: 'raw', fields: xmlWinEventLog('Security') },
    splunkProcess('Security', securityProcess, securityCreation),
    udmProcess('WINEVTLOG', securityProcess, securityCreation),
  ],
};
