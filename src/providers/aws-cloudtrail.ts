import type { ProviderSpec } from './types.js';

export const awsCloudTrail: ProviderSpec = {
  id: 'aws-cloudtrail',
  name: 'AWS CloudTrail',
  selectors: {
    'azure-monitor': [{ sources: ['AWSCloudTrail'], eventFields: ['EventName'] }],
    ecs: [
      {
        sources: ['logs-aws.cloudtrail*'],
        where: [
          { field: 'data_stream.dataset', values: ['aws.cloudtrail'] },
          { field: 'event.dataset', values: ['aws.cloudtrail'] },
          { field: 'event.provider', values: ['cloudtrail.amazonaws.com'] },
        ],
        eventFields: ['event.action', 'aws.cloudtrail.event_name'],
      },
    ],
  },
};
