import type { ProviderSpec } from './types.js';
import { okta } from './okta.js';
import { awsCloudTrail } from './aws-cloudtrail.js';
import { windowsSecurity } from './windows-security.js';
import { gcpAudit } from './gcp-audit.js';
import { githubAudit } from './github-audit.js';
import { microsoft365 } from './microsoft-365.js';
import { azureActivity } from './azure-activity.js';
import { entraIdAudit } from './entra-id-audit.js';

/** Every provider. Adding one is a file and a line here. */
export const providers: readonly ProviderSpec[] = [
  okta,
  awsCloudTrail,
  windowsSecurity,
  gcpAudit,
  githubAudit,
  microsoft365,
  azureActivity,
  entraIdAudit,
];

export function providerName(id: string): string {
  return providers.find((p) => p.id === id)?.name ?? id;
}
