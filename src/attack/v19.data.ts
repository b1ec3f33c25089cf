// ATT&CK v19 (April 2026) against v18: what a rule written for either version needs to be placed on the
// other's matrix. From the v19 release notes and changelog (attack.mitre.org/resources/updates): the Defense
// Evasion tactic (TA0005) was renamed Stealth, and its defence-disabling techniques were split out into a new
// tactic, Defense Impairment (TA0112), under new ids (Impair Defenses T1562 and its sub-techniques, and the
// two log-clearing sub-techniques of Indicator Removal T1070). Data, not code: a later release adds lines here.

/** A tactic v19 added or renamed. */
export interface V19Tactic {
  id: string;
  name: string;
  /** The shortname rules tag it with (`attack.stealth`). */
  shortname: string;
  /** Its v18 name, when it had one. */
  formerName?: string;
  /** v19 places it right after this tactic in the Enterprise matrix. */
  after?: string;
}

export const v19Tactics: V19Tactic[] = [
  { id: 'TA0005', name: 'Stealth', shortname: 'stealth', formerName: 'Defense Evasion' },
  { id: 'TA0112', name: 'Defense Impairment', shortname: 'defense-impairment', after: 'TA0005' },
];

/** A technique v19 gave a new id: its v18 id(s) and its v19 id, name and tactics. */
export interface V19Move {
  /** v18 ids, the one it replaces first (several v18 ids can land on one v19 technique). */
  v18: string[];
  v19: string;
  /** The v19 name (a sub-technique's own name, without its parent's). */
  name: string;
  tactics: string[];
}

export const v19Moves: V19Move[] = [
  { v18: ['T1562.001', 'T1562', 'T1562.006'], v19: 'T1685', name: 'Disable or Modify Tools', tactics: ['TA0112'] },
  { v18: ['T1562.002'], v19: 'T1685.001', name: 'Disable Windows Event Logging', tactics: ['TA0112'] },
  { v18: ['T1562.008'], v19: 'T1685.002', name: 'Disable or Modify Cloud Logs', tactics: ['TA0112'] },
  { v18: ['T1562.011'], v19: 'T1685.003', name: 'Spoof Security Alerting', tactics: ['TA0112'] },
  { v18: ['T1562.012'], v19: 'T1685.004', name: 'Disable or Modify Linux Audit System', tactics: ['TA0112'] },
  { v18: ['T1070.001'], v19: 'T1685.005', name: 'Clear Windows Event Logs', tactics: ['TA0112'] },
  { v18: ['T1070.002'], v19: 'T1685.006', name: 'Clear Linux or Mac System Logs', tactics: ['TA0112'] },
  { v18: ['T1562.004'], v19: 'T1686', name: 'Disable or Modify System Firewall', tactics: ['TA0112'] },
  { v18: ['T1562.007'], v19: 'T1686.001', name: 'Disable or Modify Cloud Firewall', tactics: ['TA0112'] },
  { v18: ['T1562.013'], v19: 'T1686.002', name: 'Disable or Modify Network Device Firewall', tactics: ['TA0112'] },
  { v18: ['T1562.009'], v19: 'T1688', name: 'Safe Mode Boot', tactics: ['TA0112'] },
  { v18: ['T1562.010'], v19: 'T1689', name: 'Downgrade Attack', tactics: ['TA0112'] },
  { v18: ['T1562.003'], v19: 'T1690', name: 'Impair Command History Logging', tactics: ['TA0112'] },
];
