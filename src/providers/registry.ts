import type { ProviderSpec } from './types.js';
import { okta } from './okta.js';
import { awsCloudTrail } from './aws-cloudtrail.js';
import { windowsSecurity } from './windows-security.js';
import { gcpAudit } from './gcp-audit.js';
import { githubAudit } from './github-audit.js';
import { microsoft365 } from './microsoft-365.js';
import { azureActivity } from './azure-activity.js';
import { entraIdAudit } from './entra-id-audit.js';
import { entraIdSignIn } from './entra-id-signin.js';
import { googleWorkspace } from './google-workspace.js';
import { kubernetesAudit } from './kubernetes-audit.js';
import { sysmon } from './sysmon.js';
import { windowsPowerShell } from './windows-powershell.js';
import { linuxAuditd } from './linux-auditd.js';
import { onePassword } from './onepassword.js';
import { oneLogin } from './onelogin.js';
import { crowdstrikeFdr } from './crowdstrike-fdr.js';
import { slackAudit } from './slack-audit.js';
import { zoom } from './zoom.js';
import { duo } from './duo.js';
import { box } from './box.js';
import { atlassian } from './atlassian.js';
import { dropbox } from './dropbox.js';
import { zendesk } from './zendesk.js';
import { auth0 } from './auth0.js';
import { asana } from './asana.js';
import { notion } from './notion.js';
import { databricks } from './databricks.js';
import { snyk } from './snyk.js';
import { teleport } from './teleport.js';
import { tines } from './tines.js';
import { mongodbAtlas } from './mongodb-atlas.js';
import { zscalerZiaAudit } from './zscaler-zia-audit.js';
import { wizAudit } from './wiz-audit.js';
import { openaiAudit } from './openai-audit.js';
import { tailscale } from './tailscale.js';
import { bitbucketAudit } from './bitbucket-audit.js';

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
  entraIdSignIn,
  googleWorkspace,
  kubernetesAudit,
  sysmon,
  windowsPowerShell,
  linuxAuditd,
  onePassword,
  oneLogin,
  crowdstrikeFdr,
  slackAudit,
  zoom,
  duo,
  box,
  atlassian,
  dropbox,
  zendesk,
  auth0,
  asana,
  notion,
  databricks,
  snyk,
  teleport,
  tines,
  mongodbAtlas,
  zscalerZiaAudit,
  wizAudit,
  openaiAudit,
  tailscale,
  bitbucketAudit,
];

export function providerName(id: string): string {
  return providers.find((p) => p.id === id)?.name ?? id;
}
