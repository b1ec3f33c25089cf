// Navigator 4.5 layers of techniques scored by the rules covering each: gaps (score 0) red, then yellow to
// green. A group's, campaign's or software's techniques, or those a threat report names. Techniques without
// a tactic: a use applies wherever ATT&CK places it.
import { type LayerTechnique, layerWith, type NavigatorLayer } from '../export/navigator.js';
import { platformInfo } from '../platforms/registry.js';
import type { ThreatReportCoverage } from './threat-report.js';
import type { ThreatCoverage } from './threats.js';

interface ScoredTechnique {
  id: string;
  total: number;
  rules: Record<string, number>;
  /** What the technique's comment says besides its gap. */
  note: string;
}

function coverageLayer(
  name: string,
  description: string,
  scored: readonly ScoredTechnique[],
  metadata: { name: string; value: string }[],
): NavigatorLayer {
  const techniques = [...scored]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((t): LayerTechnique => ({
      techniqueID: t.id,
      score: t.total,
      comment: t.total ? t.note : `No rule covers this technique. ${t.note}`.trim(),
      enabled: true,
      metadata: [
        { name: 'rules', value: String(t.total) },
        ...Object.entries(t.rules).map(([p, n]) => ({ name: platformInfo(p)?.name ?? p, value: String(n) })),
      ],
      links: [],
      showSubtechniques: false,
    }));
  return layerWith({
    name,
    description,
    techniques,
    gradient: { colors: ['#ff6666ff', '#ffe766ff', '#8ec843ff'], minValue: 0, maxValue: Math.max(1, ...techniques.map((t) => t.score)) },
    legendItems: [
      { label: 'no rule (gap)', color: '#ff6666ff' },
      { label: 'covered', color: '#8ec843ff' },
    ],
    metadata,
  });
}

export function threatLayer(c: ThreatCoverage): NavigatorLayer {
  return coverageLayer(
    `${c.name} (${c.id}): rule coverage`,
    `${c.name}'s ${c.techniques.length} ATT&CK techniques scored by the rules covering each (${c.ruleCount} rules); ${Math.round(c.anyCoverage * 100)}% covered.`,
    c.techniques.map((t) => ({ id: t.id, total: t.total, rules: t.rules, note: t.procedure })),
    [
      { name: c.kind, value: c.id },
      { name: 'rules', value: String(c.ruleCount) },
    ],
  );
}

/** The techniques a report names (those the loaded ATT&CK knows: Navigator would drop the others). */
export function threatReportLayer(r: ThreatReportCoverage): NavigatorLayer {
  const covered = r.techniques.length - r.gaps.length;
  return coverageLayer(
    'Threat report: rule coverage',
    `The ${r.techniques.length} ATT&CK techniques a threat report names, scored by the rules covering each (${r.ruleCount} rules); ${covered} covered, ${r.gaps.length} gaps.`,
    r.techniques.map((t) => ({ id: t.id, total: t.total, rules: t.rules, note: '' })),
    [{ name: 'rules', value: String(r.ruleCount) }],
  );
}
