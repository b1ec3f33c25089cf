// Event mappers by provider (providers/mappers/<provider>.ts): a provider's raw event in each
// platform schema. Adding one is a file and a line here. Order matters only where two mappers
// could claim one event's shape: the first wins.
import { awsCloudTrailMapper } from './aws-cloudtrail.js';
import { gcpAuditMapper } from './gcp-audit.js';
import { githubAuditMapper } from './github-audit.js';
import { microsoft365Mapper } from './microsoft-365.js';
import { oktaMapper } from './okta.js';
import type { EventMapper } from './types.js';
import { sysmonMapper, windowsSecurityMapper } from './windows.js';

export const eventMappers: readonly EventMapper[] = [
  oktaMapper,
  awsCloudTrailMapper,
  githubAuditMapper,
  gcpAuditMapper,
  microsoft365Mapper,
  windowsSecurityMapper,
  sysmonMapper,
];
