"""validate-prov-template against cfn-lint 1.58 on cfn-lint's own test templates.

Run by scripts/peer-corpus.sh (which downloads the pinned cfn-lint source distribution into the
tool cache and builds nothing): see docs/peer-corpus.md for what is compared and why.

Python, not a Rust test: the peer is a Python program, run here once over every file in one
process (cfn-lint's start-up is most of its cost), and the corpus lives in the tool cache, outside
the clone, where only the test script knows the way. Our side is the real binary, run once with
`--all` over a workspace that holds one config per corpus template, so both tools are measured
the way a user runs them. Standard library only.

The check fails when
  - a good/ template that cfn-lint accepts (no error-level finding) is refused by us (exit 1) and is
    not on the allow list, or is refused for a rule of ours its entry does not name;
  - an allow-list entry is stale: its template is no longer refused, or cfn-lint now refuses it;
  - our CLI exits with anything but 0 or 1 on any template (a refusal, an I/O or internal error);
  - agreement on bad/ (see `verdict`) falls below BAD_AGREEMENT_FLOOR of the 100 templates.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

# The reasons a good/ template may differ (tests/peer/allowed-differences.toml), each with the
# rules of ours it allows and the words every such finding's message must hold: a template is
# never refused for something CloudFormation accepts without the message saying whose rule it is.
KINDS = {
    "security": (
        {"bucket-not-encrypted", "bucket-public-access", "bucket-without-tls-policy",
         "iam-wildcard-action", "sg-open-ingress"},
        "(a security rule of ml-provisioner; CloudFormation accepts it)",
    ),
    "empty": ({"invalid-template"}, "Resources must be a mapping with at least one resource"),
}

# Agreement on bad/, of 100 (the target is 90): the floor is what was last measured, so a
# regression fails; raise it with each improvement (docs/peer-corpus.md gives the number).
BAD_AGREEMENT_FLOOR = 90

# One config for every template: any valid config works (the template is read from disk, and
# the config gives only its region); us-east-1 is cfn-lint's default region.
CONFIG = """\
client:
  company_name: Peer Corpus
  company_prefix: peer
  account_id: "111122223333"
  tenant_id: p001
environment:
  env: dev
  region: us-east-1
ml_product:
  tier: starter
  use_case: peer-corpus
  source_control: codecommit
"""


def corpus_files(root: Path, kind: str) -> list[str]:
    """Every template file under root/kind, as a path relative to root, sorted."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in (root / kind).rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".template")
    )


def run_cfn_lint(cfn_lint: str, root: Path, files: list[str]) -> tuple[dict[str, list[str]], float]:
    """cfn-lint 1.58 with its defaults (region us-east-1), once over all files: for each file,
    the rule ids of its error-level findings."""
    start = time.monotonic()
    ran = subprocess.run(
        [cfn_lint, "--format", "json", "--", *files],
        cwd=root, capture_output=True, text=True, check=False,
    )
    seconds = time.monotonic() - start
    # Exit codes are a bit mask (2 error, 4 warning, 8 informational); 1 is a crash.
    if ran.returncode & 1 or not ran.stdout.strip().startswith("["):
        sys.exit(f"cfn-lint failed (exit {ran.returncode}):\n{ran.stderr[-4000:]}")
    errors: dict[str, list[str]] = {f: [] for f in files}
    for match in json.loads(ran.stdout):
        if match["Level"] == "Error":
            errors[os.path.normpath(match["Filename"])].append(match["Rule"]["Id"])
    return errors, seconds


def run_ours(cli: str, root: Path, files: list[str]) -> tuple[dict[str, tuple[int, list[tuple[str, str]]]], float]:
    """validate-prov-template --all over a workspace with one config per template: for each
    file, our exit code and the (code, message) of each of our error-level findings."""
    with tempfile.TemporaryDirectory() as work:
        home = Path(work)
        (home / "configs").mkdir()
        (home / "templates").mkdir()
        stems = {}
        for n, f in enumerate(files):
            stem = f"peer-{n:04d}"
            stems[stem] = f
            (home / "configs" / f"{stem}.yaml").write_text(CONFIG)
            shutil.copyfile(root / f, home / "templates" / f"{stem}-template.yaml")
        start = time.monotonic()
        ran = subprocess.run(
            [os.path.abspath(cli), "-act", "validate-prov-template", "--all", "--format", "json"],
            cwd=home, env={**os.environ, "ML_PROVISIONER_HOME": str(home)},
            capture_output=True, text=True, check=False,
        )
        seconds = time.monotonic() - start
    try:
        document = json.loads(ran.stdout)
    except json.JSONDecodeError:
        sys.exit(f"validate-prov-template --all wrote no JSON (exit {ran.returncode}):\n{ran.stderr[-4000:]}")
    exits = {Path(c["config"]).stem: c["exit_code"] for c in document["configs"]}
    codes = {
        Path(f["file"]).name.removesuffix("-template.yaml"): [
            (d["code"], d["message"]) for d in f["diagnostics"] if d["severity"] == "error"
        ]
        for f in document["files"]
    }
    return {stems[s]: (exits[s], codes.get(s, [])) for s in stems}, seconds


def verdict(refused: bool) -> str:
    return "refuse" if refused else "accept"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path,
                        help="the sdist's test/fixtures/templates folder (holds good/ and bad/)")
    parser.add_argument("--cfn-lint", required=True)
    parser.add_argument("--cli", required=True, help="the ml-provisioner binary")
    parser.add_argument("--allow", required=True, type=Path, help="tests/peer/allowed-differences.toml")
    args = parser.parse_args()

    with open(args.allow, "rb") as f:
        allowed = {e["template"]: e for e in tomllib.load(f)["difference"]}
    for name, e in allowed.items():
        kind = KINDS.get(e.get("kind"))
        if kind is None or not e.get("reason") or not e.get("rules") or not set(e["rules"]) <= kind[0]:
            sys.exit(f"{args.allow}: {name}: needs a kind ({', '.join(KINDS)}), a reason, and rules of that kind")
    good = corpus_files(args.corpus, "good")
    bad = corpus_files(args.corpus, "bad")
    if len(good) != 99 or len(bad) != 100:
        sys.exit(f"expected cfn-lint 1.58's 99 good and 100 bad templates, found {len(good)} and {len(bad)}")
    files = good + bad
    theirs, lint_seconds = run_cfn_lint(args.cfn_lint, args.corpus, files)
    ours, our_seconds = run_ours(args.cli, args.corpus, files)

    failures = []
    for f in files:
        exit_code, _ = ours[f]
        if exit_code not in (0, 1):
            failures.append(f"{f}: validate-prov-template exited {exit_code}")

    # good/: every template cfn-lint accepts and we refuse is on the list, for the rules it names.
    listed_seen = set()
    counts = {"both accept": 0, "both refuse": 0, "only cfn-lint refuses": 0, "only we refuse": 0}
    for f in good:
        we_refuse = ours[f][0] == 1
        they_refuse = bool(theirs[f])
        key = ("both refuse" if they_refuse else "only we refuse") if we_refuse else (
            "only cfn-lint refuses" if they_refuse else "both accept")
        counts[key] += 1
        entry = allowed.get(f)
        if key != "only we refuse":
            if entry is not None:
                failures.append(f"{f}: on the allow list but no longer a difference ({key}); remove its entry")
            continue
        our_codes = sorted({code for code, _ in ours[f][1]})
        if entry is None:
            failures.append(f"{f}: cfn-lint accepts it, we refuse it with {our_codes}, and it is not on the allow list")
            continue
        listed_seen.add(f)
        unlisted = [c for c in our_codes if c not in entry["rules"]]
        if unlisted:
            failures.append(f"{f}: refused for {unlisted}, which its allow-list entry does not name ({entry['rules']})")
        words = KINDS[entry["kind"]][1]
        for code, message in ours[f][1]:
            if words not in message:
                failures.append(f"{f}: the message of {code} does not say {words!r}: {message}")
    for f in sorted(set(allowed) - set(good)):
        failures.append(f"{f}: on the allow list but not a good/ template of the corpus")

    # bad/: agreement is the same verdict, where cfn-lint refuses when it reports at least one
    # error-level finding and we refuse when validate-prov-template exits 1.
    agree = [f for f in bad if (ours[f][0] == 1) == bool(theirs[f])]
    disagree = [f for f in bad if f not in agree]

    print(f"cfn-lint 1.58 over {len(files)} templates, one process: {lint_seconds:.1f} s")
    print(f"validate-prov-template --all over the same, one process: {our_seconds:.1f} s")
    print(f"good/ ({len(good)}): " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    print(f"good/: {len(listed_seen)} accepted differences (tests/peer/allowed-differences.toml)")
    print(f"bad/ agreement (same verdict): {len(agree)} of {len(bad)} (floor {BAD_AGREEMENT_FLOOR})")
    for f in disagree:
        print(f"  bad/ disagreement: {f}: cfn-lint {verdict(bool(theirs[f]))}s {sorted(set(theirs[f]))}, "
              f"we {verdict(ours[f][0] == 1)} {sorted({c for c, _ in ours[f][1]})}")
    if len(agree) < BAD_AGREEMENT_FLOOR:
        failures.append(f"bad/ agreement {len(agree)} is below the floor {BAD_AGREEMENT_FLOOR}")
    if os.environ.get("PEER_CORPUS_VERBOSE"):
        for f in good:
            print(f"  good/ {f}: cfn-lint {sorted(set(theirs[f]))}, we exit {ours[f][0]} {sorted({c for c, _ in ours[f][1]})}")
    if failures:
        print("\npeer corpus: FAILED", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("peer corpus: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
