import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const awsCloudTrail: ProviderSpec = {
  id: 'aws-cloudtrail',
  name: 'AWS CloudTrail',
  selectors: {
    'azure-monitor': [{ sources: ['AWSCloudTrail'], eventFields: ['EventName'] }],
    ecs: [ecsDataset('aws.cloudtrail', ['event.action', 'aws.cloudtrail.event_name'], [{ field: 'event.provider', values: ['cloudtrail.amazonaws.com'] }])],
  },
};
