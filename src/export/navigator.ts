// ATT&CK Navigator layer (format 4.5): one entry per technique (per tactic where rules place it), scored by rule count.
import type { Rule } from '../model/types.js';

export interface LayerTechnique {
  techniqueID: string;
  tactic?: string;
  score: number;
  comment: string;
  enabled: boolean;
  metadata: { name: string; value: string }[];
  links: { label: string; url: string }[];
  showSubtechniques: boolean;
}

export interface NavigatorLayer {
  name: string;
  versions: { attack: string; navigator: string; layer: string };
  domain: 'enterprise-attack';
  description: string;
  sorting: number;
  layout: {
    layout: string;
    aggregateFunction: string;
    showID: boolean;
    showName: boolean;
    showAggregateScores: boolean;
    countUnscored: boolean;
    expandedSubtechniques: string;
  };
  hideDisabled: boolean;
  techniques: LayerTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
  links: { label: string; url: string }[];
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  selectVisibleTechniques: boolean;
}

export interface LayerOptions {
  name?: string;
  description?: string;
  /** Makes rule links absolute (e.g. `http://host:8080`); relative `/rules/<id>` otherwise. */
  baseUrl?: string;
}

/** Rule names listed per technique before "and N more", so comments stay readable in the Navigator. */
const namesShown = 20;
/** Links per technique; a layer over thousands of rules would otherwise be huge. */
const linksShown = 20;

/** Navigator tactic shortname from the tactic name: "Privilege Escalation" → "privilege-escalation". */
function tacticShortname(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '-');
}

function ruleLink(rule: Rule, baseUrl?: string): string {
  const path = `/rules/${encodeURIComponent(rule.id)}`;
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}${path}` : path;
}

export function navigatorLayer(rules: readonly Rule[], opts: LayerOptions = {}): NavigatorLayer {
  // Key: technique id + tactic shortname ('' when the rule names no tactic for it).
  const cells = new Map<string, { techniqueID: string; tactic: string; rules: Rule[] }>();
  for (const rule of rules) {
    const tacticNames = new Map(rule.attack.tactics.map((t) => [t.id, t.name]));
    for (const tech of rule.attack.techniques) {
      if (!/^T\d{4}(\.\d{3})?$/.test(tech.id)) continue;
      const shortnames = new Set(
        tech.tactics
          .map((id) => tacticNames.get(id))
          .filter((n): n is string => !!n)
          .map(tacticShortname),
      );
      for (const tactic of shortnames.size ? shortnames : ['']) {
        const key = `${tech.id}|${tactic}`;
        let cell = cells.get(key);
        if (!cell) cells.set(key, (cell = { techniqueID: tech.id, tactic, rules: [] }));
        if (!cell.rules.includes(rule)) cell.rules.push(rule);
      }
    }
  }
  const techniques = [...cells.values()]
    .sort((a, b) =>
      a.techniqueID < b.techniqueID ? -1 : a.techniqueID > b.techniqueID ? 1 : a.tactic < b.tactic ? -1 : a.tactic > b.tactic ? 1 : 0,
    )
    .map((c): LayerTechnique => {
      const names = c.rules.map((r) => r.name || r.nativeId);
      const more = names.length > namesShown ? `; and ${names.length - namesShown} more` : '';
      return {
        techniqueID: c.techniqueID,
        ...(c.tactic ? { tactic: c.tactic } : {}),
        score: c.rules.length,
        comment: names.slice(0, namesShown).join('; ') + more,
        enabled: true,
        metadata: [{ name: 'rules', value: String(c.rules.length) }],
        links: c.rules.slice(0, linksShown).map((r) => ({ label: r.name || r.nativeId, url: ruleLink(r, opts.baseUrl) })),
        showSubtechniques: false,
      };
    });
  const maxValue = Math.max(1, ...techniques.map((t) => t.score));
  return layerWith({
    name: opts.name ?? 'ruleatlas coverage',
    description: opts.description ?? `Detection rules per technique (${rules.length} rules).`,
    techniques,
    gradient: { colors: ['#ffffffff', '#66b1ffff'], minValue: 0, maxValue },
    metadata: [{ name: 'rules', value: String(rules.length) }],
  });
}

/** A Navigator 4.5 layer around scored techniques (the settings every ruleatlas layer shares). */
export function layerWith(
  o: Pick<NavigatorLayer, 'name' | 'description' | 'techniques' | 'gradient' | 'metadata'> & Partial<Pick<NavigatorLayer, 'legendItems'>>,
): NavigatorLayer {
  return {
    name: o.name,
    versions: { attack: '18', navigator: '4.5', layer: '4.5' },
    domain: 'enterprise-attack',
    description: o.description,
    sorting: 3,
    layout: {
      layout: 'side',
      aggregateFunction: 'average',
      showID: true,
      showName: true,
      showAggregateScores: false,
      countUnscored: false,
      expandedSubtechniques: 'none',
    },
    hideDisabled: false,
    techniques: o.techniques,
    gradient: o.gradient,
    legendItems: o.legendItems ?? [],
    metadata: o.metadata,
    links: [],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
  };
}
