import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeRule } from '../../model/rule-factory.js';
import type { EventRef, Rule } from '../../model/types.js';
import { groupSameAction, sameActionSection, shownPerPlatform } from './rule-same-action.js';

const specific: EventRef = { provider: 'okta', event: 'user.session.impersonation.initiate' };
const generic: EventRef = { provider: 'okta', event: 'user.authentication.auth_via_mfa' };

/** A rule watching `specific` and, in one branch, the generic MFA event that 20 other rules watch. */
function scene(): { rule: Rule; events: Map<string, EventRef[]> } {
  const events = new Map<string, EventRef[]>();
  const links: Rule['sameAction'] = [];
  const add = (id: string, platform: string, watched: EventRef[]) => {
    events.set(id, watched);
    links.push({ id, name: id, platform });
  };
  // Stored order: other platforms first (sentinel, then elastic), the rule's own (chronicle) last.
  for (let i = 0; i < 12; i++) add(`sentinel:mfa-${i}`, 'sentinel', [{ provider: 'okta', event: 'User.Authentication.Auth_Via_MFA' }]);
  add('sentinel:both', 'sentinel', [generic, specific]);
  add('elastic:imp', 'elastic', [specific]);
  for (let i = 0; i < 8; i++) add(`chronicle:mfa-${i}`, 'chronicle', [generic]);
  const rule = makeRule({ nativeId: 'r', platform: 'chronicle', events: [specific, generic], sameAction: links });
  return { rule, events };
}

test('same action: grouped by event, rarest first, rules sharing most events first in each platform', () => {
  const { rule, events } = scene();
  const groups = groupSameAction(rule, (id) => events.get(id));
  assert.deepEqual(
    groups.map((g) => [g.event?.event, g.total]),
    [
      ['user.session.impersonation.initiate', 2],
      ['user.authentication.auth_via_mfa', 21],
    ],
  );
  const mfa = groups[1]!;
  assert.deepEqual(
    mfa.byPlatform.map((p) => [p.platform, p.rules.length]),
    [
      ['sentinel', 13],
      ['chronicle', 8],
    ],
  );
  // Event names compare without case, as sameAction links them.
  assert.equal(mfa.byPlatform[0]!.rules[0]!.link.id, 'sentinel:both', 'the rule sharing both events leads its platform');
  assert.equal(mfa.byPlatform[0]!.rules[0]!.shared, 2);
});

test('same action: a generic event does not flood the section; the rest is behind "show all"', () => {
  const { rule, events } = scene();
  const page = sameActionSection(rule, (id) => events.get(id)).toString();
  const groupHtml = page.split('<div class="sa-group"').slice(1);
  assert.equal(groupHtml.length, 2);
  const [top, rest] = groupHtml[1]!.split('<details');
  // At most a few per platform in view; every rule is still there behind "show all".
  assert.equal((top!.match(/<li><a /g) ?? []).length, 2 * shownPerPlatform);
  assert.equal((rest!.match(/<li><a /g) ?? []).length, 21 - 2 * shownPerPlatform);
  assert.match(rest!, /Show all 21 \(15 more\)/);
  assert.match(groupHtml[1]!, /21 rules<\/span> <span class="muted small">\(Microsoft Sentinel 13, Google SecOps \(Chronicle\) 8\)/);
  assert.match(page, /22 other rules watch 2 of this rule&#8217;s events/);
});
