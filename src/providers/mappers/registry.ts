// Event mappers by provider (providers/mappers/<provider>.ts): a provider's raw event in each
// platform schema. Adding one is a file and a line here. Order matters only where two mappers
// could claim one event's shape: the first wins.
import { oktaMapper } from './okta.js';
import type { EventMapper } from './types.js';

export const eventMappers: readonly EventMapper[] = [oktaMapper];
