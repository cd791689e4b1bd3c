#!/usr/bin/env python3
"""Extracts, from the installed cfn-lint package, the AWS regions a config may name, with their
ARN partition: core/data/regions.json, embedded by core/src/regions.rs (and the config schema's
`region` enum, which a core test keeps equal to it).

    python3 scripts/extract-regions.py > core/data/regions.json
    python3 scripts/extract-regions.py --check core/data/regions.json

Source data: cfn-lint (MIT No Attribution), cfnlint.helpers.REGIONS, the regions cfn-lint has
registry schemas for (its data/schemas/providers/<region>.json). cfn-lint does not carry the
partition of a region as data, so it is derived here from the region's shape, and every region
must match one rule below, else this script fails and a person decides:

- `cn-<direction>-<n>`: aws-cn; `us-gov-<direction>-<n>`: aws-us-gov;
- `<two letters>-<direction>-<n>`: aws (the commercial regions);
- the isolated partitions (`us-iso-`, `us-isob-`, `us-isof-`, `eu-isoe-`) and the European
  Sovereign Cloud (`eusc-`) are left out: AWS Marketplace, which every paid tier meters through,
  is not offered there, and nothing of this tool was tried there.

When botocore is installed (cfn-lint's venv has it), its partitions.json must agree with every
partition given here.
"""
import json
import re
import sys

import cfnlint

import cfnlint_data
from cfnlint.helpers import REGIONS

DIRECTION = r"(north|south|east|west|central|northeast|northwest|southeast|southwest)"
RULES = [
    (re.compile(rf"^cn-{DIRECTION}-\d+$"), "aws-cn"),
    (re.compile(rf"^us-gov-{DIRECTION}-\d+$"), "aws-us-gov"),
    (re.compile(rf"^[a-z]{{2}}-{DIRECTION}-\d+$"), "aws"),
]
LEFT_OUT = re.compile(r"^(us-iso-|us-isob-|us-isof-|eu-isoe-|eusc-)")


def partition(region):
    for pattern, name in RULES:
        if pattern.match(region):
            return name
    return None


def botocore_partitions():
    try:
        import botocore
    except ImportError:
        return None
    import os
    path = os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json")
    data = json.load(open(path))
    return {r: p["id"] for p in data["partitions"] for r in p["regions"]}


def main():
    regions = []
    for region in sorted(set(REGIONS)):
        if LEFT_OUT.match(region):
            continue
        name = partition(region)
        if name is None:
            sys.exit(f"cfn-lint knows the region {region!r}, whose partition no rule of scripts/extract-regions.py gives")
        regions.append([region, name])
    known = botocore_partitions()
    if known is not None:
        for region, name in regions:
            if region in known and known[region] != name:
                sys.exit(f"{region}: botocore says partition {known[region]!r}, the rule says {name!r}")
    version = cfnlint_data.version()
    return {
        "source": f"cfn-lint {version} (MIT-0): cfnlint.helpers.REGIONS, less the isolated and sovereign partitions",
        "regions": regions,
    }


if __name__ == "__main__":
    data = main()
    text = "{\n" + f'"source": {json.dumps(data["source"])},\n"regions": [\n' + ",\n".join(
        json.dumps(r) for r in data["regions"]) + "\n]\n}\n"
    cfnlint_data.emit(text, data["source"], "extract-regions.py")
