// Display names for the ids rules carry: platforms, languages, providers, ATT&CK tactics and techniques.
import type { FacetName } from '../explore/explore.js';
import { languageName as registryLanguageName } from '../languages/registry.js';
import type { Rule } from '../model/types.js';
import { html, type SafeHtml } from './html.js';
import { platformInfo } from '../platforms/registry.js';
import { providerName } from '../providers/registry.js';
import { formEncode } from './urls.js';

export function platformName(id: string): string {
  return platformInfo(id)?.name ?? id;
}

export { providerName };

/** A rule's type as its platform writes it for people (Splunk's `ttp` is TTP), else as stored. */
export function ruleTypeName(platform: string, type: string): string {
  return platformInfo(platform)?.ruleTypeNames?.[type] ?? type;
}

/** Language display name; rules without a query carry the id `none`. */
export function languageName(id: string): string {
  return id === 'none' ? 'No query' : registryLanguageName(id);
}

export function severityName(severity: string): string {
  return severity ? severity.charAt(0).toUpperCase() + severity.slice(1) : 'Unknown';
}

/** Facet value labels kept as markup per Labels; past this, labels are made per call (queries may name any value). */
const maxLabelMarkup = 200_000;

/** ATT&CK names as the catalog's rules carry them, collected once when the server starts. */
export class Labels {
  readonly tactics = new Map<string, string>();
  readonly techniques = new Map<string, string>();
  private readonly markup = new Map<FacetName, Map<string, SafeHtml>>();
  private readonly queryMarkup = new Map<FacetName, Map<string, SafeHtml>>();
  private markupCount = 0;

  constructor(rules: readonly Rule[]) {
    for (const rule of rules) {
      for (const t of rule.attack.tactics) if (t.name && t.name !== t.id && !this.tactics.has(t.id)) this.tactics.set(t.id, t.name);
      for (const t of rule.attack.techniques)
        if (t.name && t.name !== t.id && !this.techniques.has(t.id)) this.techniques.set(t.id, t.name);
    }
  }

  /** A facet value's label, escaped, made once: an Explore sidebar writes hundreds of them, each twice. */
  facetLabelHtml(facet: FacetName, value: string): SafeHtml {
    let byValue = this.markup.get(facet);
    if (!byValue) this.markup.set(facet, (byValue = new Map<string, SafeHtml>()));
    let label = byValue.get(value);
    if (label === undefined) {
      label = html`${this.facetLabel(facet, value)}`;
      if (this.markupCount < maxLabelMarkup) {
        byValue.set(value, label);
        this.markupCount++;
      }
    }
    return label;
  }

  /**
   * A facet value as a URL's query writes it (form-encoded), escaped, made once like its label: the
   * sidebar links each of its hundreds of values, and encoding them was a tenth of an Explore page.
   */
  facetValueQueryHtml(facet: FacetName, value: string): SafeHtml {
    let byValue = this.queryMarkup.get(facet);
    if (!byValue) this.queryMarkup.set(facet, (byValue = new Map<string, SafeHtml>()));
    let encoded = byValue.get(value);
    if (encoded === undefined) {
      encoded = html`${formEncode(value)}`;
      if (this.markupCount < maxLabelMarkup) {
        byValue.set(value, encoded);
        this.markupCount++;
      }
    }
    return encoded;
  }

  /** Label of a facet value: `Privilege Escalation (TA0004)`, `T1134.003 Access Token Manipulation: …`. */
  facetLabel(facet: FacetName, value: string): string {
    switch (facet) {
      case 'platform':
        return platformName(value);
      case 'language':
        return languageName(value);
      case 'severity':
        return severityName(value);
      case 'tactic': {
        const name = this.tactics.get(value);
        return name ? `${name} (${value})` : value;
      }
      case 'technique': {
        const name = this.techniques.get(value);
        return name ? `${value} ${name}` : value;
      }
      case 'provider':
        return providerName(value);
      case 'event': {
        const slash = value.indexOf('/');
        return slash === -1 ? value : `${providerName(value.slice(0, slash))}: ${value.slice(slash + 1)}`;
      }
      case 'source':
      case 'author':
      case 'cve':
      case 'story':
        return value;
      case 'tests':
        return value === 'yes' ? 'Yes' : 'No';
      case 'testresult':
        return testResultLabels[value] ?? value;
    }
  }
}

export const facetTitles: Record<FacetName, string> = {
  platform: 'Platform',
  language: 'Language',
  severity: 'Severity',
  tactic: 'Tactic',
  technique: 'Technique',
  provider: 'Provider',
  event: 'Event',
  source: 'Source',
  author: 'Author',
  cve: 'CVE',
  story: 'Story',
  tests: 'Has tests',
  testresult: 'Tests pass',
};

const testResultLabels: Record<string, string> = {
  pass: 'Pass',
  fail: 'Fail',
  unknown: 'Unknown (not evaluated)',
};
