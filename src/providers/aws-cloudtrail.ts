import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

// Only a console sign-in's response has this element: testing it selects that event.
const consoleLogin = { where: [{ field: 'responseElements.ConsoleLogin', values: ['*'] }], eventFields: [], events: ['ConsoleLogin'] };

export const awsCloudTrail: ProviderSpec = {
  id: 'aws-cloudtrail',
  name: 'AWS CloudTrail',
  selectors: {
    panther: [
      {
        sources: ['logtype:AWS.CloudTrail', '*aws_cloudtrail'],
        where: [{ field: 'p_log_type', values: ['AWS.CloudTrail'] }],
        eventFields: ['eventName'],
      },
      consoleLogin,
    ],
    sigma: [{ sources: ['aws/cloudtrail'], eventFields: ['eventName'] }, consoleLogin],
    splunk: [
      consoleLogin,
      { sources: ['sourcetype:aws:cloudtrail'], eventFields: ['eventName'] },
      { sources: ['sourcetype:aws:cloudtrail:lake'], eventFields: ['api.operation'] },
      // The Authentication data model names a console sign-in by CloudTrail's event name.
      { where: [{ field: 'Authentication.signature', values: ['ConsoleLogin'] }], eventFields: ['Authentication.signature'] },
    ],
    'azure-monitor': [{ sources: ['AWSCloudTrail'], eventFields: ['EventName'] }],
    ecs: [
      ecsDataset(
        'aws.cloudtrail',
        ['event.action', 'aws.cloudtrail.event_name'],
        [{ field: 'event.provider', values: ['cloudtrail.amazonaws.com'] }],
      ),
    ],
    udm: [{ sources: ['log_type:AWS_CLOUDTRAIL', 'product:AWS CloudTrail'], eventFields: ['metadata.product_event_type'] }],
  },
};
