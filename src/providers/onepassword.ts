import type { ProviderSpec } from './types.js';

// Audit events are an action on an object type (`create user`, `export vault`): the action alone
// ("create") says little. Sign-in attempts are named by their category (`credentials_failed` ...).
const auditEvent = [{ fields: ['action', 'action_s'] }, { fields: ['object_type', 'object_type_s'], missing: 'omit' as const }];

export const onePassword: ProviderSpec = {
  id: 'onepassword',
  name: '1Password',
  selectors: {
    panther: [
      { sources: ['logtype:OnePassword.AuditEvent', '*onepassword_auditevent'], eventFields: [], eventParts: auditEvent },
      { sources: ['logtype:OnePassword.SignInAttempt', '*onepassword_signinattempt'], eventFields: ['category'] },
      { sources: ['logtype:OnePassword.ItemUsage', '*onepassword_itemusage'], eventFields: ['action'] },
    ],
    'azure-monitor': [{ sources: ['OnePasswordEventLogs_CL', 'OnePasswordEventLogs'], eventFields: [], eventParts: auditEvent }],
  },
};
