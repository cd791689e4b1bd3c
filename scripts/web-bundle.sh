#!/usr/bin/env bash
# Builds the browser app's release bundle without Trunk: the files `trunk build --release` writes
# from index.html and Trunk.toml, in dist/ (or the folder given). CI uses it because building
# Trunk itself takes ≈16 min; developers keep `trunk serve` and `trunk build` (README).
#   1. cargo build --profile web-release --target wasm32-unknown-unknown (the rust link's href,
#      data-bin and data-cargo-profile-release in index.html; that is -p ml-provisioner-web);
#   2. wasm-bindgen 0.2.130 --target web --no-typescript: ml-provisioner-web.js and
#      ml-provisioner-web_bg.wasm, the names web/boot.js imports;
#   3. wasm-opt from binaryen 132 with index.html's data-wasm-opt and data-wasm-opt-params, as
#      Trunk runs it (--no-wasm-opt skips it: 7 % larger, same behaviour);
#   4. index.html with each data-trunk link done as Trunk 0.21 does it (Trunk.toml: filehash =
#      false, inject_scripts = false, minify never): `rel="css"` copies the file and becomes a
#      stylesheet link with an sha384 integrity attribute, `rel="copy-file"` copies the file and
#      goes, `rel="rust"` stays, numbered (web/boot.js starts the app). Any other data-trunk
#      link stops the build: teach this script what Trunk does with it first.
# The result was byte-identical to `trunk build --release`'s dist/ (2026-12-01, trunk 0.21.14).
#   scripts/web-bundle.sh [--no-wasm-opt] [out-dir]
# wasm-bindgen and wasm-opt come from the tool cache (scripts/tools.sh; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm_opt=1
if [ "${1:-}" = --no-wasm-opt ]; then wasm_opt=0; shift; fi
out=${1:-dist}
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
tools_install_wasm_bindgen
[ "$wasm_opt" = 0 ] || tools_install_npm

# index.html's data-trunk links, done in Python (stdlib only).
page() { # extract | write <out-dir>
  python3 - "$@" <<'PY'
import base64, hashlib, re, shutil, sys

mode = sys.argv[1]
html = open("index.html", encoding="utf-8").read()
tag = re.compile(r"<(?:link|script)\b([^>]*\sdata-trunk(?=[\s/>])[^>]*)>")
def attrs(text):
    return dict(re.findall(r'([\w-]+)="([^"]*)"', text))
links = [attrs(m.group(1)) for m in tag.finditer(html)]
rust = [a for a in links if a.get("rel") == "rust"]
unknown = [a for a in links if a.get("rel") not in ("rust", "css", "copy-file")]
if len(rust) != 1 or unknown:
    sys.exit(f"web-bundle.sh: index.html needs exactly one rust link and only css/copy-file others: {links}")
if mode == "extract":
    r = rust[0]
    for key, default in (("href", "Cargo.toml"), ("data-bin", ""), ("data-cargo-profile-release", "release"),
                         ("data-wasm-opt", "0"), ("data-wasm-opt-params", "")):
        print(r.get(key, default))
    sys.exit(0)
out = sys.argv[2]
ids = iter(range(len(links)))
def done(m):
    a, n = attrs(m.group(1)), next(ids)
    if a["rel"] == "rust":  # kept, numbered, as Trunk does without inject_scripts
        return m.group(0)[:-1] + f' data-trunk-id="{n}">'
    name = a["href"].rsplit("/", 1)[-1]
    shutil.copyfile(a["href"], f"{out}/{name}")
    if a["rel"] == "copy-file":
        return ""
    digest = base64.b64encode(hashlib.sha384(open(a["href"], "rb").read()).digest()).decode()
    return f'<link rel="stylesheet" href="./{name}" integrity="sha384-{digest}"/>'
open(f"{out}/index.html", "w", encoding="utf-8").write(tag.sub(done, html))
PY
}
{ read -r manifest; read -r bin; read -r profile; read -r opt; read -r opt_params; } < <(page extract)
[ -n "$bin" ] || exit 1

cargo build --locked --profile "$profile" --target wasm32-unknown-unknown --manifest-path "$manifest" --bin "$bin"
wasm=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/$bin.wasm

mkdir -p target
stage=$(mktemp -d target/web-bundle.XXXXXX)
trap 'rm -rf "$stage"' EXIT
"$TOOLS_WASM_BINDGEN" --target web --no-typescript --out-dir "$stage" --out-name "$bin" "$wasm"
if [ "$wasm_opt" = 1 ] && [ "$opt" != 0 ]; then
  [[ "$("$TOOLS_WASM_OPT" --version)" == *"version 132"* ]] || { echo "web-bundle.sh: wasm-opt must be binaryen 132 (Trunk.toml)" >&2; exit 1; }
  # shellcheck disable=SC2086  # the parameters are one space-separated attribute
  "$TOOLS_WASM_OPT" --output="$stage/${bin}_bg.opt.wasm" "-O$opt" "$stage/${bin}_bg.wasm" $opt_params
  mv "$stage/${bin}_bg.opt.wasm" "$stage/${bin}_bg.wasm"
fi
page write "$stage"
chmod 755 "$stage"
rm -rf "$out"
mv "$stage" "$out"
wasm_out=$out/${bin}_bg.wasm
echo "web bundle in $out/: $(wc -c <"$wasm_out") bytes wasm ($profile profile$([ "$wasm_opt" = 0 ] && echo ", no wasm-opt"))"
