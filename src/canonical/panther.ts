import type { CanonicalFieldMap } from './types.js';

// Panther's log schemas keep each vendor's own names: CloudTrail, Okta, CrowdStrike FDR ...
export const pantherFields: CanonicalFieldMap = {
  schema: 'panther',
  fields: {
    eventName: 'event.action',
    sourceIPAddress: 'source.ip',
    userAgent: 'user_agent.original',
    client_ip: 'source.ip',
    'client.ipAddress': 'source.ip',
    'event.CommandLine': 'process.command_line',
    'event.ImageFileName': 'process.executable',
    commandline: 'process.command_line',
    parent_commandline: 'process.parent.command_line',
    user_name: 'user.name',
  },
};
