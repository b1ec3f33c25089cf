"""The JSON paths data models use (`$.a.b`, `a.b`, `$.a[0].b`, `$.a[*].b`, `$['a b']`, `$..a`).

One match is returned as is, several as a list, none as None (how data model paths read).
"""

import re

_token = re.compile(r"\.\.([A-Za-z0-9_@$-]+|\*)|\.([A-Za-z0-9_@$:-]+|\*)|\[\s*(\*|-?\d+|'[^']*'|\"[^\"]*\")\s*\]|^([A-Za-z0-9_@$:-]+)")


def parse(path):
    text = path.strip()
    if text.startswith("$"):
        text = text[1:]
    steps, pos = [], 0
    while pos < len(text):
        m = _token.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError("unsupported JSON path: " + path)
        descend, name, bracket, head = m.groups()
        if descend is not None:
            steps.append(("descend", descend))
        elif name is not None or head is not None:
            steps.append(("key", name if name is not None else head))
        elif bracket == "*":
            steps.append(("key", "*"))
        elif bracket[0] in "'\"":
            steps.append(("key", bracket[1:-1]))
        else:
            steps.append(("index", int(bracket)))
        pos = m.end()
    return steps


def _children(node):
    if isinstance(node, dict):
        return list(node.values())
    if isinstance(node, list):
        return list(node)
    return []


def _step(nodes, step):
    kind, arg = step
    out = []
    for node in nodes:
        if kind == "key":
            if arg == "*":
                out.extend(_children(node))
            elif isinstance(node, dict) and arg in node:
                out.append(node[arg])
        elif kind == "index":
            if isinstance(node, list) and -len(node) <= arg < len(node):
                out.append(node[arg])
        else:
            stack = [node]
            while stack:
                cur = stack.pop(0)
                if arg == "*":
                    out.extend(_children(cur))
                elif isinstance(cur, dict) and arg in cur:
                    out.append(cur[arg])
                stack.extend(_children(cur))
    return out


_cache = {}


def find(data, path):
    steps = _cache.get(path)
    if steps is None:
        steps = _cache[path] = parse(path)
    nodes = [data]
    for step in steps:
        nodes = _step(nodes, step)
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else nodes
