"""Compares checkov's failed checks on the generated templates with the accepted list.

Usage: checkov_check.py <checkov JSON output> <accepted list>
Exits 1 when checkov failed a check not on the list (a new finding), when a listed finding no
longer occurs (the list must shrink with the fix) or when its number of templates changed.
"""

import collections
import json
import sys


def main():
    report, accepted_path = sys.argv[1], sys.argv[2]
    with open(report, encoding="utf-8") as f:
        runs = json.load(f)
    if isinstance(runs, dict):
        runs = [runs]
    found = collections.Counter()
    passed = 0
    for run in runs:
        if run.get("check_type") not in (None, "cloudformation"):
            continue
        passed += run["summary"]["passed"]
        for check in run["results"]["failed_checks"]:
            found[(check["check_id"], check["resource"])] += 1
    if passed == 0:
        sys.exit("checkov checked nothing: is the templates folder empty?")
    accepted = {}
    with open(accepted_path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                check_id, resource, count = line.split()
                accepted[(check_id, resource)] = int(count)
    problems = []
    for key, count in sorted(found.items()):
        if key not in accepted:
            problems.append(f"new finding: {key[0]} on {key[1]} in {count} templates")
        elif accepted[key] != count:
            problems.append(f"{key[0]} on {key[1]}: {count} templates, the list says {accepted[key]}")
    for key in sorted(set(accepted) - set(found)):
        problems.append(f"{key[0]} on {key[1]} no longer occurs: remove it from {accepted_path}")
    for problem in problems:
        print(f"checkov: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"checkov: {passed} checks passed; the {sum(found.values())} failed ones are the accepted list")


if __name__ == "__main__":
    main()
