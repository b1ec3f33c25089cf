import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

// Every sign-in row has the same operation ("Sign-in activity"), and its category only says which
// log it is (interactive, non-interactive, service principal): neither tells one action from
// another. What sign-in rules select on, on every platform, is the result code (`0` success,
// `50126` bad password, `50053` locked, `500121` MFA failed ...): that code is the event.
const code = '^\\d+$';

export const entraIdSignIn: ProviderSpec = {
  id: 'entra-id-signin',
  name: 'Microsoft Entra ID sign-in',
  selectors: {
    panther: [
      {
        sources: ['logtype:Azure.SignIn', '*azure_signin'],
        where: [{ field: 'p_log_type', values: ['Azure.SignIn'] }],
        eventFields: ['properties.status.errorCode', 'resultType'],
        eventPattern: code,
      },
    ],
    sigma: [
      { sources: ['azure/signinlogs'], eventFields: ['ResultType', 'properties.status.errorCode', 'Status.errorCode'], eventPattern: code },
    ],
    // Audit and sign-in rows share the sourcetype; only sign-ins carry an error code.
    splunk: [
      {
        sources: ['sourcetype:azure:monitor:aad'],
        eventFields: ['properties.status.errorCode', 'ResultType', 'resultType'],
        eventPattern: code,
      },
    ],
    'azure-monitor': [
      {
        sources: [
          'SigninLogs',
          'AADNonInteractiveUserSignInLogs',
          'AADServicePrincipalSignInLogs',
          'AADManagedIdentitySignInLogs',
          'aadFunc',
        ],
        eventFields: ['ResultType', 'ErrorCode', 'Status.errorCode'],
        eventPattern: code,
      },
    ],
    ecs: [
      {
        ...ecsDataset('azure.signinlogs', ['azure.signinlogs.properties.status.error_code', 'azure.signinlogs.result_type']),
        eventPattern: code,
      },
    ],
    udm: [
      {
        sources: ['product:Azure AD', 'log_type:AZURE_AD'],
        eventFields: ['security_result.rule_id', 'metadata.product_event_type'],
        eventPattern: code,
      },
    ],
  },
};
