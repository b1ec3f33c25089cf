import type { PlatformInfo } from '../types.js';

/** Splunk: SPL; a rule's sources include the `sourcetype:` and `index:` terms its search names. */
export const splunk: PlatformInfo = {
  id: 'splunk',
  name: 'Splunk',
  schema: 'splunk',
  logSources: [
    { kind: 'sourcetype', written: 'prefixed' },
    { kind: 'index', written: 'prefixed' },
  ],
  // Its analytic types as Splunk's security content writes them (the format stores them lower case).
  ruleTypeNames: { ttp: 'TTP', anomaly: 'Anomaly', hunting: 'Hunting', correlation: 'Correlation', baseline: 'Baseline' },
};
