#!/usr/bin/env bash
# validate-prov-template against cfn-lint on cfn-lint's own test templates (the peer corpus,
# docs/peer-corpus.md): every good/ template cfn-lint accepts and we refuse must be on
# tests/peer/allowed-differences.toml, for the rules its entry names; agreement on bad/ must not
# fall below its floor. The templates come from cfn-lint's source distribution on PyPI, downloaded
# once into the tool cache (scripts/tools.sh), never into the clone; the comparison is
# tests/peer/compare.py, run on the venv's Python (cfn-lint is that venv's).
#   scripts/peer-corpus.sh [<python-venv>]   default: the venv in the tool cache (scripts/tools.sh)
# The CLI is $ML_PROVISIONER_BIN (scripts/test.sh passes the one `cargo test` built), else the
# debug build (`cargo build -p ml-provisioner`).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
venv=$(tools_venv_or "${1:-}")
tools_install_cfn_lint_sdist
tools_cli
"$venv/bin/python" tests/peer/compare.py --corpus "$TOOLS_CFN_LINT_TEMPLATES" \
  --cfn-lint "$venv/bin/cfn-lint" --cli "$ML_PROVISIONER_CLI" --allow tests/peer/allowed-differences.toml
