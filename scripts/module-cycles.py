#!/usr/bin/env python3
"""Fails when the core's top-level modules import each other in a circle.

Reads every `crate::<module>` path outside comments in core/src and reports each cycle of the
module graph. Run by scripts/test.sh; `--self-test` shows it rejects a made-up cycle.
"""
import os
import re
import sys


def graph(root):
    edges = {}
    for folder, _, names in os.walk(root):
        for name in names:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            top = os.path.relpath(path, root).split(os.sep)[0].removesuffix(".rs")
            if top == "lib":
                continue
            code = "\n".join(
                line.split("//")[0] for line in open(path, encoding="utf-8").read().splitlines()
            )
            deps = set(re.findall(r"crate::([a-z_]+)", code)) - {top}
            edges.setdefault(top, set()).update(deps)
    return edges


def cycles(edges):
    found = set()

    def walk(node, stack):
        for nxt in sorted(edges.get(node, ())):
            if nxt in stack:
                cycle = stack[stack.index(nxt):]
                start = cycle.index(min(cycle))
                found.add(tuple(cycle[start:] + cycle[:start]))
            elif len(stack) < len(edges) + 1:
                walk(nxt, stack + [nxt])

    for node in edges:
        walk(node, [node])
    return sorted(found)


def main():
    if sys.argv[1:] == ["--self-test"]:
        bad = cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()})
        assert bad == [("a", "b", "c")], bad
        assert cycles({"a": {"b"}, "b": set()}) == []
        print("module-cycles: self-test passed (a made-up cycle is rejected)")
        return 0
    found = cycles(graph(sys.argv[1] if len(sys.argv) > 1 else "core/src"))
    for cycle in found:
        print("import circle: " + " -> ".join(cycle + (cycle[0],)), file=sys.stderr)
    if found:
        return 1
    print("module-cycles: no import circle in the core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
