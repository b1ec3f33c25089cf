// A Navigator 4.5 layer of a group's, campaign's or software's techniques, scored by the rules covering
// each: gaps (score 0) red, then yellow to green. Techniques without a tactic: a use applies wherever ATT&CK places it.
import { type LayerTechnique, layerWith, type NavigatorLayer } from '../export/navigator.js';
import { platformInfo } from '../platforms/registry.js';
import type { ThreatCoverage } from './threats.js';

export function threatLayer(c: ThreatCoverage): NavigatorLayer {
  const techniques = [...c.techniques]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((t): LayerTechnique => ({
      techniqueID: t.id,
      score: t.total,
      comment: t.total ? t.procedure : `No rule covers this technique. ${t.procedure}`.trim(),
      enabled: true,
      metadata: [
        { name: 'rules', value: String(t.total) },
        ...Object.entries(t.rules).map(([p, n]) => ({ name: platformInfo(p)?.name ?? p, value: String(n) })),
      ],
      links: [],
      showSubtechniques: false,
    }));
  return layerWith({
    name: `${c.name} (${c.id}): rule coverage`,
    description: `${c.name}'s ${c.techniques.length} ATT&CK techniques scored by the rules covering each (${c.ruleCount} rules); ${Math.round(c.anyCoverage * 100)}% covered.`,
    techniques,
    gradient: { colors: ['#ff6666ff', '#ffe766ff', '#8ec843ff'], minValue: 0, maxValue: Math.max(1, ...techniques.map((t) => t.score)) },
    legendItems: [
      { label: 'no rule (gap)', color: '#ff6666ff' },
      { label: 'covered', color: '#8ec843ff' },
    ],
    metadata: [
      { name: c.kind, value: c.id },
      { name: 'rules', value: String(c.ruleCount) },
    ],
  });
}
