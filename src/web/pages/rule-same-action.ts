// The rule page's "same action" section: the other rules watching this rule's events, grouped by
// event. One flat list flooded: a rule with one branch on a generic event (an Okta MFA prompt) listed
// every rule watching that event beside the few watching its specific one. Grouped, the rarest events
// come first, each group names its count per platform, and shows the rules sharing most of this
// rule's events first, a few per platform, the rest behind "show all".
import type { EventRef, Rule } from '../../model/types.js';
import { formatCount, plural, section } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { platformName, providerName } from '../labels.js';
import { facetUrl, ruleUrl } from '../urls.js';

type SameActionLink = Rule['sameAction'][number];

/** How many rules of each platform a group shows before "show all". */
export const shownPerPlatform = 3;

/** One of the rule's events and the other rules watching it, best first. */
export interface SameActionGroup {
  /** Undefined for the links that share none of the rule's events as they are now (a catalog made by hand). */
  event?: EventRef;
  /** The rules, by platform (other platforms first, as the stored list has them), best first in each. */
  byPlatform: { platform: string; rules: { link: SameActionLink; shared: number }[] }[];
  total: number;
}

const eventKey = (e: EventRef) => `${e.provider}\u0000${e.event.toLowerCase()}`;

/**
 * The rule's sameAction links grouped by the rule's events they watch (a link in each group whose
 * event it shares), groups with fewest rules first; in a group, per platform, the rules sharing most
 * of the rule's events first, then in stored order. `eventsOf` gives a linked rule's events.
 */
export function groupSameAction(rule: Rule, eventsOf: (id: string) => readonly EventRef[] | undefined): SameActionGroup[] {
  const own = new Map<string, EventRef>();
  for (const e of rule.events) if (!own.has(eventKey(e))) own.set(eventKey(e), e);
  const members = new Map<string, { link: SameActionLink; shared: number; order: number }[]>();
  rule.sameAction.forEach((link, order) => {
    const keys = new Set((eventsOf(link.id) ?? []).map(eventKey).filter((k) => own.has(k)));
    if (!keys.size) keys.add('');
    for (const key of keys) {
      const list = members.get(key);
      const entry = { link, shared: keys.size, order };
      if (list) list.push(entry);
      else members.set(key, [entry]);
    }
  });
  const groups: SameActionGroup[] = [];
  for (const [key, list] of members) {
    const platforms = new Map<string, { link: SameActionLink; shared: number; order: number }[]>();
    for (const entry of list) {
      const of = platforms.get(entry.link.platform);
      if (of) of.push(entry);
      else platforms.set(entry.link.platform, [entry]);
    }
    const byPlatform = [...platforms].map(([platform, rules]) => ({
      platform,
      rules: rules.sort((a, b) => b.shared - a.shared || a.order - b.order).map(({ link, shared }) => ({ link, shared })),
    }));
    groups.push({ event: own.get(key), byPlatform, total: list.length });
  }
  return groups.sort(
    (a, b) =>
      Number(!a.event) - Number(!b.event) ||
      a.total - b.total ||
      (a.event?.provider ?? '').localeCompare(b.event?.provider ?? '') ||
      (a.event?.event ?? '').localeCompare(b.event?.event ?? ''),
  );
}

/** `ownEvents`: how many distinct events the rule watches (counted once per page, not per link). */
function linkItem(ownEvents: number, { link, shared }: { link: SameActionLink; shared: number }): SafeHtml {
  return html`<li><a href="${ruleUrl(link.id)}">${link.name || link.id}</a>${ownEvents > 1 && shared > 1 ? html` <span class="badge" title="Events of this rule the other rule watches too">${shared} of ${ownEvents} events</span>` : ''}</li>`;
}

function groupBlock(ownEvents: number, group: SameActionGroup): SafeHtml {
  const counts = group.byPlatform.map((p) => `${platformName(p.platform)} ${formatCount(p.rules.length)}`).join(', ');
  const hidden = group.byPlatform.reduce((n, p) => n + Math.max(0, p.rules.length - shownPerPlatform), 0);
  const platformList = (slice: (rules: SameActionGroup['byPlatform'][number]['rules']) => SameActionGroup['byPlatform'][number]['rules']) =>
    group.byPlatform
      .filter((p) => slice(p.rules).length)
      .map(
        (p) =>
          html`<li class="sa-platform"><span class="muted small">${platformName(p.platform)}</span><ul class="links">${slice(p.rules).map((r) => linkItem(ownEvents, r))}</ul></li>`,
      );
  const e = group.event;
  const title = e
    ? html`<a href="${facetUrl('event', `${e.provider}/${e.event}`)}">${providerName(e.provider)}: <code class="wrap-any">${e.event}</code></a>`
    : 'Other events';
  return html`<div class="sa-group" data-event="${e ? `${e.provider}/${e.event}` : ''}">
<h3 class="sa-event">${title} <span class="sa-count">${plural(group.total, 'rule')}</span> <span class="muted small">(${counts})</span></h3>
<ul class="plain sa-top">${platformList((rules) => rules.slice(0, shownPerPlatform))}</ul>
${hidden ? html`<details class="sa-all"><summary>Show all ${formatCount(group.total)} (${formatCount(hidden)} more)</summary><ul class="plain">${platformList((rules) => rules.slice(shownPerPlatform))}</ul></details>` : ''}
</div>`;
}

export function sameActionSection(rule: Rule, eventsOf: (id: string) => readonly EventRef[] | undefined): SafeHtml {
  const intro =
    'Other rules that filter on the same API call or operation, by event: the rarest events first, rules on other platforms first, and in each platform the rules sharing most of this rule’s events.';
  if (!rule.sameAction.length) {
    return section(
      'same-action',
      'Rules detecting the same action',
      html`<p class="muted">No other rule in the catalog filters on the same event.</p>`,
      intro,
    );
  }
  const groups = groupSameAction(rule, eventsOf);
  const ownEvents = new Set(rule.events.map(eventKey)).size;
  return section(
    'same-action',
    'Rules detecting the same action',
    html`<p class="small">${plural(rule.sameAction.length, 'other rule')} ${rule.sameAction.length === 1 ? 'watches' : 'watch'} ${groups.length === 1 ? 'this rule’s event' : `${formatCount(groups.length)} of this rule’s events`}.</p>${groups.map((g) => groupBlock(ownEvents, g))}`,
    intro,
  );
}
