import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { eachPredicate, predicatesOf } from '../../model/predicates.js';
import type { AnalysisContext, PredicateNode, QueryAnalysis } from '../../model/types.js';
import { python } from './index.js';

const context: AnalysisContext = { platform: 'panther', declaredSources: [] };

before(async () => {
  await python.init!();
});

function ruleCondition(a: QueryAnalysis): PredicateNode | undefined {
  return a.stages.find((s) => s.kind === 'rule' || s.kind === 'policy')?.condition;
}

/** `field op values` with `!` for negation, `~` for case-insensitive; `not(...)` for not nodes. */
function show(n: PredicateNode | undefined): string {
  if (!n) return '(none)';
  switch (n.kind) {
    case 'and':
    case 'or':
      return `(${n.children.map(show).join(` ${n.kind} `)})`;
    case 'not':
      return `not ${show(n.child)}`;
    case 'some':
      return `some ${n.field}[] ${show(n.child)}`;
    case 'other':
      return `«${n.text}»`;
    case 'pred': {
      const p = n.predicate;
      return `${p.field} ${p.negated ? '!' : ''}${p.op}${p.caseSensitive || p.op === 'exists' ? '' : '~'} ${JSON.stringify(p.values)}`;
    }
  }
}

function analyse(source: string, under: AnalysisContext = context): QueryAnalysis {
  const a = python.analyse(source, under);
  assert.equal(a.parsed, true, JSON.stringify(a.diagnostics));
  return a;
}

test('a rule over a module constant: stages per function, `in` with the values, alert_context keys', () => {
  const a = analyse(`from panther_base_helpers import deep_get

SUPPORT_EVENTS = [
    "user.session.impersonation.grant",
    "user.session.impersonation.initiate",
]


def rule(event):
    return event.get("eventType") in SUPPORT_EVENTS


def title(event):
    return f"Support access by {event.udm('actor_user')}"


def helper(x):
    return x


def alert_context(event):
    context = {
        "user": event.udm("actor_user"),
        "ip": event.udm("source_ip"),
    }
    context["event"] = event.get("eventType")
    return context
`);
  assert.deepEqual(
    a.stages.map((s) => s.kind),
    ['rule', 'title', 'function', 'alert_context'],
  );
  assert.ok(a.stages[0]!.text.startsWith('def rule(event):'));
  assert.equal(show(ruleCondition(a)), 'eventType in ["user.session.impersonation.grant","user.session.impersonation.initiate"]');
  const p = predicatesOf(ruleCondition(a))[0]!;
  assert.equal(p.nativeOp, 'in');
  assert.equal(p.text, 'event.get("eventType") in SUPPORT_EVENTS');
  assert.deepEqual(
    a.outputFields.map((o) => [o.field, o.source]),
    [
      ['user', 'alert_context'],
      ['ip', 'alert_context'],
      ['event', 'alert_context'],
    ],
  );
  assert.deepEqual(a.sources, []);
});

test('early returns: `if C: return False` guards are and-ed as not C, `if C: return True` or-ed', () => {
  const guards = analyse(`def rule(event):
    if event.get("eventSource") != "iam.amazonaws.com":
        return False
    if event.get("errorCode"):
        return False
    return event.get("eventName") in ("CreateUser", "DeleteUser")
`);
  assert.equal(
    show(ruleCondition(guards)),
    '(eventSource eq ["iam.amazonaws.com"] and errorCode !exists [] and eventName in ["CreateUser","DeleteUser"])',
  );
  // Effective negation: the guard's `!=` under `not` reads as a positive eq.
  const effective: string[] = [];
  eachPredicate(ruleCondition(guards), (p, negated) => effective.push(`${negated ? '!' : ''}${p.field}`));
  assert.deepEqual(effective, ['eventSource', '!errorCode', 'eventName']);

  const ors = analyse(`def rule(event):
    if event.get("a") == "x":
        return True
    if event.get("b") == "y":
        return True
    return False
`);
  assert.equal(show(ruleCondition(ors)), '(a eq ["x"] or b eq ["y"])');

  const elseBranch = analyse(`def rule(event):
    if event.get("kind") == "user":
        return event.get("name") == "root"
    else:
        return event.get("name") == "admin"
`);
  assert.equal(show(ruleCondition(elseBranch)), '((kind eq ["user"] and name eq ["root"]) or (kind !eq ["user"] and name eq ["admin"]))');

  const guardsWithOr = analyse(`def rule(event):
    if not success(event) or event.get("eventName") != "AssumeRole":
        return False
    return True
`);
  assert.equal(show(ruleCondition(guardsWithOr)), '(«success(event)» and eventName eq ["AssumeRole"])');
});

test('field accessors: get chains, deep_get, deep_walk, subscripts, typed parameters, locals', () => {
  const a = analyse(`from panther_base_helpers import deep_get

def rule(event: PantherEvent) -> bool:
    role = event.deep_get("userIdentity", "type", default="")
    return (
        deep_get(event, "requestParameters", "roleArn") == "x"
        and event.get("responseElements", {}).get("status") == "ok"
        and event["detail"]["state"] == "on"
        and event.deep_walk("resources", "arn") == "y"
        and role == "Root"
    )
`);
  assert.deepEqual(
    predicatesOf(ruleCondition(a)).map((p) => p.field),
    ['requestParameters.roleArn', 'responseElements.status', 'detail.state', 'resources.arn', 'userIdentity.type'],
  );
});

test('operators: not in, is None, startswith tuples, lower(), regex, comparisons, substring, fieldref', () => {
  const a = analyse(`import re
from fnmatch import fnmatch

SUSPICIOUS = re.compile(r"(curl|wget)\\s", re.IGNORECASE)
BLOCKED = {"a": 1, "b": 2}


def rule(event):
    name = event.get("name", "").lower()
    return all(
        [
            event.get("user") not in BLOCKED,
            event.get("error") is None,
            event.get("target") is not None,
            name.startswith(("svc-", "sys-")),
            event.get("path", "").endswith(".exe"),
            re.search(r"^admin", event.get("login")),
            SUSPICIOUS.search(event.get("cmd")),
            fnmatch(event.get("host"), "*.internal"),
            event.get("count") > 10,
            5 >= event.get("level"),
            "secret" in event.get("query", ""),
            event.get("src") == event.get("dst"),
        ]
    )
`);
  assert.deepEqual(show(ruleCondition(a)).slice(1, -1).split(' and '), [
    'user !in ["a","b"]',
    'error !exists []',
    'target exists []',
    'name startswith~ ["svc-","sys-"]',
    'path endswith [".exe"]',
    'login regex ["^admin"]',
    'cmd regex~ ["(curl|wget)\\\\s"]',
    'host wildcard ["*.internal"]',
    'count gt [10]',
    'level lte [5]',
    'query contains ["secret"]',
    'src fieldref ["dst"]',
  ]);
  const nativeOps = predicatesOf(ruleCondition(a)).map((p) => p.nativeOp);
  assert.deepEqual(nativeOps.slice(0, 4), ['not in', 'is', 'is not', '.startswith']);
});

test('any() over a constant and loops over constants give one predicate with every value', () => {
  const a = analyse(`PATTERNS = ("mimikatz", "procdump")
ALLOWED = ["ok"]


def rule(event):
    cmd = event.get("CommandLine", "")
    if any(p in cmd for p in PATTERNS):
        return True
    for allowed in ALLOWED:
        if event.get("user") == allowed:
            return False
    return False
`);
  assert.equal(show(ruleCondition(a)), 'CommandLine contains ["mimikatz","procdump"]');

  const loop = analyse(`KNOWN = ["a", "b"]

def rule(event):
    for value in KNOWN:
        if value in event.get("msg", ""):
            return False
    return event.get("kind") == "x"
`);
  assert.equal(show(ruleCondition(loop)), '(msg !contains ["a","b"] and kind eq ["x"])');

  // `continue` skips the rest of the body: running past the loop is "skipped or passed", for every
  // element: no one rule both Allow and `*` (element-scope.ts).
  const skip = analyse(`def policy(resource):
    for rule in resource.get("Rules", []):
        if rule.get("Effect") != "Allow":
            continue
        if rule.get("Action") == "*":
            return False
    return True
`);
  assert.equal(show(ruleCondition(skip)), 'not some Rules[] (Rules.Action eq ["*"] and Rules.Effect eq ["Allow"])');
});

test('helpers: module functions are read through, imported ones not in the context stay as text with an info note', () => {
  const a = analyse(`from panther_aws_helpers import aws_cloudtrail_success


def is_login(event):
    return event.get("eventName") == "ConsoleLogin"


def get_user(event):
    identity = event.get("userIdentity", {})
    return identity.get("userName")


def rule(event):
    return is_login(event) and aws_cloudtrail_success(event) and get_user(event) == "root"
`);
  assert.equal(
    show(ruleCondition(a)),
    '(eventName eq ["ConsoleLogin"] and «aws_cloudtrail_success(event)» and userIdentity.userName eq ["root"])',
  );
  assert.deepEqual(
    a.diagnostics.map((d) => [d.severity, d.message, d.line]),
    [['info', 'call aws_cloudtrail_success() is read as text: panther_aws_helpers is not a module of the source', 14]],
  );
});

test('udm(): resolved through the data model in the analysis context, else udm:<name>', () => {
  const source = `def rule(event):
    return event.udm("source_ip") == "1.2.3.4" and event.udm("actor_user") == "root"
`;
  const dataModel = { source_ip: ['$.client.ipAddress'], actor_user: ['actor', 'user.name'] };
  assert.equal(show(ruleCondition(analyse(source))), '(udm:source_ip eq ["1.2.3.4"] and udm:actor_user eq ["root"])');
  assert.equal(
    show(ruleCondition(analyse(source, { ...context, dataModel }))),
    '(client.ipAddress eq ["1.2.3.4"] and (actor eq ["root"] or user.name eq ["root"]))',
  );
  // The context is the only input besides the text: without it, the same text reads as before.
  assert.equal(show(ruleCondition(analyse(source))), '(udm:source_ip eq ["1.2.3.4"] and udm:actor_user eq ["root"])');
});

test('policies, constant rules and alert_context returning a helper that cannot be read: no key, an info note', () => {
  const a = analyse(`from panther_aws_helpers import aws_rule_context


def policy(resource):
    return resource.get("MinimumPasswordLength", 0) >= 14


def alert_context(event):
    return {**aws_rule_context(event), "extra": 1}
`);
  assert.equal(show(ruleCondition(a)), 'MinimumPasswordLength gte [14]');
  assert.deepEqual(
    a.outputFields.map((o) => o.field),
    ['extra'],
  );
  assert.deepEqual(
    a.diagnostics.map((d) => d.message),
    ['alert_context keys from aws_rule_context() are not read: panther_aws_helpers is not a module of the source'],
  );
  const always = analyse(`from panther_okta_helpers import okta_alert_context


def rule(_):
    return True


def alert_context(event):
    return okta_alert_context(event)
`);
  assert.equal(always.stages[0]!.condition, undefined);
  assert.deepEqual(
    always.outputFields.map((o) => o.field),
    [],
  );
});

test('syntax errors: parsed false with line and column; no functions: an info note', () => {
  const broken = python.analyse(
    `def rule(event):
    return event.get("a") ==
`,
    context,
  );
  assert.equal(broken.parsed, false);
  const d = broken.diagnostics[0]!;
  assert.equal(d.severity, 'error');
  assert.equal(d.scope, 'query');
  assert.equal(d.line, 2);
  assert.ok(d.column! >= 5);
  assert.equal(broken.stages[0]?.condition, undefined);

  const missing = python.analyse('def rule(event:\n    return True\n', context);
  assert.equal(missing.parsed, false);
  assert.ok(missing.diagnostics[0]!.line! >= 1);

  const empty = python.analyse('X = 1\n', context);
  assert.equal(empty.parsed, true);
  assert.equal(empty.stages.length, 0);
  assert.match(empty.diagnostics[0]!.message, /no rule\(\) or policy\(\)/);
});

// Helper modules of the source, as the Panther format hands them over (AnalysisContext.pythonModules).
const baseHelpers = `def deep_get(dictionary, *keys, default=None):
    return default


def is_admin_action(event):
    return event.get("actor", {}).get("role") == "admin"
`;

const awsHelpers = `from panther_base_helpers import deep_get, is_admin_action

SENSITIVE_EVENTS = ["DeleteTrail", "StopLogging"]
IAM_SOURCE = "iam.amazonaws.com"
SG_EVENTS = {"AuthorizeSecurityGroupIngress": "ingress", "RevokeSecurityGroupIngress": "ingress"}


def aws_cloudtrail_success(event):
    if event.get("errorCode", "") or event.get("errorMessage", ""):
        return False
    return True


def is_iam(event):
    return event.get("eventSource") == IAM_SOURCE


def admin_iam(event):
    return is_iam(event) and is_admin_action(event)


def loops(event):
    return loops(event) or event.get("eventName") == "Loop"


def actor(event):
    return deep_get(event, "userIdentity", "arn")


def aws_rule_context(event):
    return {
        "eventName": event.get("eventName"),
        "sourceIPAddress": event.get("sourceIPAddress"),
    }


def aws_rds_context(event):
    context = aws_rule_context(event)
    context["db"] = deep_get(event, "requestParameters", "dBInstanceIdentifier")
    return context


def is_in_network(ip, networks):
    return ip_address(ip) in networks
`;

const modules = { panther_base_helpers: baseHelpers, panther_aws_helpers: awsHelpers };
const withModules: AnalysisContext = { ...context, pythonModules: modules };

test('imported helpers are read through their module: conditions inlined with their own constants and imports', () => {
  const a = analyse(
    `from panther_aws_helpers import admin_iam, aws_cloudtrail_success, actor


def rule(event):
    return aws_cloudtrail_success(event) and admin_iam(event) and actor(event) == "arn:aws:iam::1:root"
`,
    withModules,
  );
  assert.equal(
    show(ruleCondition(a)),
    '(errorCode !exists [] and errorMessage !exists [] and eventSource eq ["iam.amazonaws.com"] and actor.role eq ["admin"] and userIdentity.arn eq ["arn:aws:iam::1:root"])',
  );
  assert.deepEqual(a.diagnostics, []);
});

test('imported constants have their values: from-imports, module attributes, a global_helpers. prefix, dict keys()', () => {
  const a = analyse(
    `import panther_aws_helpers as aws
from global_helpers.panther_aws_helpers import SENSITIVE_EVENTS


def rule(event):
    return event.get("eventName") in SENSITIVE_EVENTS and event.get("eventSource") != aws.IAM_SOURCE or event.get("eventName") in aws.SG_EVENTS.keys()
`,
    withModules,
  );
  assert.equal(
    show(ruleCondition(a)),
    '((eventName in ["DeleteTrail","StopLogging"] and eventSource !eq ["iam.amazonaws.com"]) or eventName in ["AuthorizeSecurityGroupIngress","RevokeSecurityGroupIngress"])',
  );
});

test('a module function called as module.f() is inlined; a helper calling itself is read once, not forever', () => {
  const a = analyse(
    `import panther_aws_helpers


def rule(event):
    return panther_aws_helpers.is_iam(event) and panther_aws_helpers.loops(event)
`,
    withModules,
  );
  const shown = show(ruleCondition(a));
  assert.match(shown, /^\(eventSource eq \["iam.amazonaws.com"\] and /);
  assert.match(shown, /eventName eq \["Loop"\]/);
});

test('a helper that returns no condition on the event stays as its call, with an info note naming it', () => {
  const a = analyse(
    `from panther_aws_helpers import is_in_network


def rule(event):
    if not is_in_network(event.get("sourceIPAddress"), ["10.0.0.0/8"]):
        return False
    match event.get("eventName"):
        case "A":
            return True
    return False
`,
    withModules,
  );
  assert.equal(
    show(ruleCondition(a)),
    '(«is_in_network(event.get("sourceIPAddress"), ["10.0.0.0/8"])» and «match event.get("eventName"):\n        case "A":\n            return True»)',
  );
  assert.deepEqual(
    a.diagnostics.map((d) => [d.severity, d.message, d.line]),
    [
      ['info', 'helper is_in_network() is read as text: what it returns is not a condition on the event', 5],
      ['info', 'a match statement is read as text', 7],
    ],
  );
});

test('alert_context built by an imported helper gives the helper’s keys, not its name', () => {
  const a = analyse(
    `from panther_aws_helpers import aws_rds_context, aws_rule_context


def rule(event):
    return True


def alert_context(event):
    context = aws_rds_context(event)
    context.update(aws_rule_context(event))
    context["extra"] = 1
    return context
`,
    withModules,
  );
  assert.deepEqual(
    a.outputFields.map((o) => o.field),
    ['eventName', 'sourceIPAddress', 'db', 'extra'],
  );
  assert.deepEqual(a.diagnostics, []);
});

test('guard clauses name the events: `if f not in X: return False` leaves a positive `f in X`', () => {
  const a = analyse(`def rule(event):
    if event.get("eventName") not in ("DeleteTrail", "StopLogging"):
        return False
    return event.get("errorCode") is None
`);
  const c = ruleCondition(a);
  assert.equal(show(c), '(eventName in ["DeleteTrail","StopLogging"] and errorCode !exists [])');
  const positive: string[] = [];
  eachPredicate(c, (p, negated) => {
    if (!negated) positive.push(p.field);
  });
  assert.deepEqual(positive, ['eventName']);
});

test('a value taken from the first present of several fields is a test on any of them', () => {
  const a = analyse(`def get_field(event, name, default=None):
    return event.deep_get(name) or event.deep_get("event", name) or default


def rule(event):
    user = event.get("actor") or event.get("user") or "<unknown>"
    return get_field(event, "DomainName") in ["evil.example"] and user.lower() == "root"
`);
  assert.equal(
    show(ruleCondition(a)),
    '((DomainName in ["evil.example"] or event.DomainName in ["evil.example"]) and (actor eq~ ["root"] or user eq~ ["root"]))',
  );
});

test('returns before a later return make their negations needless there: a helper negated gives no positive test', () => {
  const a = analyse(`def is_system(name):
    if not name:
        return False
    if name.startswith("system:"):
        return True
    if name in ("masterclient", "aksService"):
        return True
    return False


def rule(event):
    return event.get("verb") == "create" and not is_system(event.get("user"))
`);
  assert.equal(
    show(ruleCondition(a)),
    '(verb eq ["create"] and (user !exists [] or user !startswith ["system:"]) and (user !exists [] or user !in ["masterclient","aksService"]))',
  );
});

test('a loop or any() over compiled regexes matches a field with any of them; a prefix the code computes from a field is a fieldref', () => {
  const patterns = `import re
PATTERNS = [re.compile(r"^svc-[0-9]+@robot$"), re.compile(r"^gke-.*$", re.IGNORECASE)]
`;
  const loop = analyse(`${patterns}
def is_system(email):
    for pattern in PATTERNS:
        if pattern.match(email):
            return True
    return False

def rule(event):
    return not is_system(event.get("actor", ""))
`);
  assert.equal(show(ruleCondition(loop)), 'actor !regex ["^svc-[0-9]+@robot$","^gke-.*$"]');
  const generator = analyse(`${patterns}
def rule(event):
    return any(p.search(event.get("actor")) for p in PATTERNS)
`);
  assert.equal(show(ruleCondition(generator)), 'actor regex ["^svc-[0-9]+@robot$","^gke-.*$"]');
  const computed = analyse(`def rule(event):
    domain = event.get("actor", "").split("@")[-1]
    if event.get("member", "").endswith(f"@{domain}"):
        return False
    return event.get("method") == "Invite"
`);
  // The prefix is built from another field (built-texts.ts): a test between the two fields.
  assert.equal(show(ruleCondition(computed)), '(member !fieldref ["actor"] and method eq ["Invite"])');
});

test('constants compared with constants are decided, unless a collection holds an element not read', () => {
  const a = analyse(`from elsewhere import UNKNOWN

SKIPPED = {"b"}
PARTIAL = {"a", UNKNOWN}


def rule(event):
    if "a" not in SKIPPED and event.get("x") == "1":
        return True
    if "b" in PARTIAL and event.get("y") == "2":
        return True
    return "a" in PARTIAL and event.get("z") == "3"
`);
  assert.equal(show(ruleCondition(a)), '(x eq ["1"] or («"b" in PARTIAL» and y eq ["2"]) or z eq ["3"])');
});
