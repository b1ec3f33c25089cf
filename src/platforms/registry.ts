// Every platform rules run on, in one place: formats name the platforms of the rules they read by id,
// analysis looks up a platform's log schema here, the web shows its name.

export interface PlatformInfo {
  /** Stable id used in rule JSON and rule ids (`sentinel`, `elastic` ...). */
  id: string;
  /** Name shown to people. */
  name: string;
  /**
   * The log schema its queries are written against (`azure-monitor` tables, `ecs` fields ...).
   * Provider mappings are keyed by schema, so platforms sharing one share the mapping.
   */
  schema: string;
}

/** Every platform. Adding one is a line here (and a format that reads its rules). */
export const platforms: readonly PlatformInfo[] = [
  { id: 'sentinel', name: 'Microsoft Sentinel', schema: 'azure-monitor' },
  { id: 'elastic', name: 'Elastic Security', schema: 'ecs' },
  { id: 'sigma', name: 'Sigma', schema: 'sigma' },
  { id: 'chronicle', name: 'Google SecOps (Chronicle)', schema: 'udm' },
  { id: 'panther', name: 'Panther', schema: 'panther' },
  { id: 'splunk', name: 'Splunk', schema: 'splunk' },
  { id: 'defender-xdr', name: 'Microsoft Defender XDR', schema: 'azure-monitor' },
];

const byId = new Map(platforms.map((p) => [p.id, p]));

export function platformInfo(id: string): PlatformInfo | undefined {
  return byId.get(id);
}
