// Splunk analytic stories as threat entities: an ESCU detection names its stories (`tags.analytic_story`, read
// as `Analytic Story: <name>` tags by formats/splunk); a story's techniques are its detections' techniques, and
// its coverage per platform is every rule covering them (the threat views' counting, coverage/threats.ts).
import type { ThreatEntity } from '../attack/threats.js';
import type { Rule } from '../model/types.js';

const storyTag = 'Analytic Story: ';

export interface StoryDetection {
  id: string;
  name: string;
  removed: boolean;
}

export interface Story extends ThreatEntity {
  kind: 'story';
  /** Its ESCU detections in the catalog, by name. */
  detections: StoryDetection[];
}

/** The stories a rule names, by name (the Explore facet's values). */
export function ruleStories(rule: Rule): string[] {
  return rule.tags
    .filter((t) => t.startsWith(storyTag))
    .map((t) => t.slice(storyTag.length).trim())
    .filter((name) => name !== '');
}

/** A story's address: its name in lower case, runs of other characters as one `-`. */
const storyId = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Every story the rules name, by name; techniques in id order, each with the detections covering it. */
export function storiesOf(rules: readonly Rule[]): Story[] {
  const byId = new Map<string, { name: string; rules: Rule[] }>();
  for (const rule of rules) {
    for (const name of ruleStories(rule)) {
      const id = storyId(name);
      if (!id) continue;
      const story = byId.get(id) ?? { name, rules: [] };
      byId.set(id, story);
      story.rules.push(rule);
    }
  }
  return [...byId]
    .map(([id, { name, rules: detections }]): Story => {
      const byTechnique = new Map<string, string[]>();
      for (const rule of detections)
        for (const t of rule.attack.techniques) byTechnique.set(t.id, [...(byTechnique.get(t.id) ?? []), rule.name]);
      return {
        kind: 'story',
        id,
        name,
        aliases: [],
        description: `Splunk analytic story of ${detections.length} ESCU detection${detections.length === 1 ? '' : 's'}.`,
        techniques: [...byTechnique]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([tid, names]) => ({ id: tid, procedure: `Detections: ${[...new Set(names)].sort().join('; ')}` })),
        related: [],
        detections: detections
          .map((r) => ({ id: r.id, name: r.name, removed: !!r.removed }))
          .sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1)),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}
