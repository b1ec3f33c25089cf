// A Navigator 4.5 layer of visibility: each technique rules cover, scored by whether you can see it with the
// log sources you collect: 2 visible (a rule of it can run), 1 cannot tell (only rules whose log is unknown),
// 0 blind (its rules all need a log you do not collect; the comment says which).
import { layerWith, type LayerTechnique, type NavigatorLayer } from '../export/navigator.js';
import type { Visibility, VisibilityTechnique } from './visibility.js';

const states = [
  { key: 'visible', score: 2, label: 'visible', color: '#8ec843ff' },
  { key: 'unsure', score: 1, label: 'cannot tell', color: '#d9d9d9ff' },
  { key: 'blind', score: 0, label: 'blind', color: '#ff6666ff' },
] as const;

function comment(state: (typeof states)[number]['key'], t: VisibilityTechnique): string {
  if (state === 'visible') return `${t.runnable} of ${t.rules} rules can run.`;
  if (state === 'unsure') return `No rule of it names a known log (${t.rules} rules).`;
  return `Blind: collect ${t.missing.join(', ')} to run its ${t.rules} rules.`;
}

export function visibilityLayer(v: Visibility): NavigatorLayer {
  const techniques = states
    .flatMap((s) =>
      v[s.key].map((t): LayerTechnique => ({
        techniqueID: t.id,
        score: s.score,
        comment: comment(s.key, t),
        enabled: true,
        metadata: [
          { name: 'visibility', value: s.label },
          { name: 'rules', value: String(t.rules) },
          { name: 'can run', value: String(t.runnable) },
        ],
        links: [],
        showSubtechniques: false,
      })),
    )
    .sort((a, b) => (a.techniqueID < b.techniqueID ? -1 : 1));
  const collected = v.logs.map((l) => l.name).join(', ') || 'nothing';
  return layerWith({
    name: 'Visibility with my log sources',
    description: `Collecting ${collected}: ${v.visible.length} techniques visible, ${v.blind.length} blind, ${v.unsure.length} cannot tell; ${v.runnable.length} of ${v.rules} rules can run.`,
    techniques,
    gradient: { colors: ['#ff6666ff', '#d9d9d9ff', '#8ec843ff'], minValue: 0, maxValue: 2 },
    legendItems: states.map((s) => ({ label: s.label, color: s.color })),
    metadata: v.logs.map((l) => ({ name: 'collected', value: l.id })),
  });
}
