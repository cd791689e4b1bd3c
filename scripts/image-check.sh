#!/usr/bin/env bash
# The container image, checked with podman (scripts/test.sh runs this; needs root and Debian's
# podman, runc and mmdebstrap, which test.sh installs):
#   1. hadolint passes the Dockerfile (and fails a broken one: the check can fail);
#   2. the three tier tags build with --pull=never against local stand-ins of the Dockerfile's
#      default base images (the same Dockerfile a registry-backed CI builds unchanged);
#   3. a TIER that names no tier, and no TIER, fail the build;
#   4. each image, as its non-root user with configs and ~/.aws read-only, --read-only and
#      --network none, says its version and tier, writes a policy, a template and a review
#      report for an example of its tier, and refuses a higher tier with exit 4;
#   5. validate-config on a bad config gives the native binary's diagnostics and exit code;
#   6. the user guide's docker run lines (docker -> podman) for validate-config, create-policy,
#      create-prov-template and create-review-report, unchanged (tests/image/user-guide.sh);
#   7. copy-examples copies the examples out of the image as the README says;
#   8. each image's size is printed (BENCHMARKS.md records it).
#
#   scripts/image-check.sh     (ML_PROVISIONER_BIN: the native binary to compare with)
#
# Podman keeps its images in the tool cache ($TOOLS_CACHE/podman), so the stand-ins and the
# build's dependency layer are made once per machine; a later run rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=scripts/tools.sh
. scripts/tools.sh

TIERS=(starter professional enterprise)
native=${ML_PROVISIONER_BIN:?set ML_PROVISIONER_BIN to the native ml-provisioner binary}
hadolint=${HADOLINT:-$VENV_DIR/bin/hadolint}
[ "$(id -u)" = 0 ] || { echo "image-check: podman runs as root here (rootless needs subuids): run as root" >&2; exit 1; }
for tool in podman runc mmdebstrap; do
  command -v "$tool" >/dev/null || { echo "image-check: $tool is missing: apt-get install podman runc mmdebstrap" >&2; exit 1; }
done

# Podman: private storage in the cache; runc and cgroupfs (crun rejects this kind of host's
# hybrid cgroups); explicit ulimits (root cannot raise them here). Plain `podman` commands (the
# user guide's) then use the same storage.
PODMAN_DIR=$TOOLS_CACHE/podman
mkdir -p "$PODMAN_DIR"
cat > "$PODMAN_DIR/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat > "$PODMAN_DIR/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$PODMAN_DIR/root"
runroot = "$PODMAN_DIR/runroot"
EOF
export CONTAINERS_CONF=$PODMAN_DIR/containers.conf CONTAINERS_STORAGE_CONF=$PODMAN_DIR/storage.conf

step() { printf '\n--> %s\n' "$*"; }
fail() { echo "image-check: FAILED: $*" >&2; exit 1; }

# The Dockerfile's default base images: the one place they are named.
builder_image=$(sed -n 's/^ARG BUILDER_IMAGE=//p' Dockerfile)
runtime_image=$(sed -n 's/^ARG RUNTIME_IMAGE=//p' Dockerfile)
[ -n "$builder_image" ] && [ -n "$runtime_image" ] || fail "Dockerfile: no ARG BUILDER_IMAGE= / RUNTIME_IMAGE= default"

step "hadolint"
"$hadolint" Dockerfile
broken=$(mktemp -d)
printf 'FROM debian\nRUN cd /tmp && apt-get install curl\nUSER root\n' > "$broken/Dockerfile"
if "$hadolint" "$broken/Dockerfile" >/dev/null; then fail "hadolint accepted a broken Dockerfile"; fi
rm -rf "$broken"

# Stand-ins, made once per machine (a label carries the recipe's key; a changed recipe or
# toolchain makes them again). The builder: Debian bookworm minbase from the Debian mirror with
# gcc, libc6-dev and ca-certificates (as the rust:*-slim image has), this machine's CA
# certificates (for an intercepting proxy: the build fetches crates and Debian packages), and the
# pinned Rust toolchain copied from this machine with the musl target the Dockerfile adds.
sysroot=$(rustc --print sysroot)
toolchain=$(basename "$sysroot")
rustup target add --toolchain "$toolchain" "$(uname -m)-unknown-linux-musl" >/dev/null 2>&1 \
  || rustup target add --toolchain "$toolchain" "$(uname -m)-unknown-linux-musl"
standin_key() { printf '%s\n' "$@" "$(sed -n '/^# Stand-ins/,/^# ---- end of stand-ins/p' "$0")" | sha256sum | cut -c1-16; }
has_standin() { # image key
  [ "$(podman image inspect --format '{{index .Config.Labels "io.ml-provisioner.stand-in"}}' "$1" 2>/dev/null)" = "$2" ]
}
make_builder() {
  local key tmp
  key=$(standin_key "$builder_image" "$toolchain" "$(rustc --version)")
  has_standin "$builder_image" "$key" && return 0
  step "stand-in $builder_image (Debian minbase + gcc + the $toolchain toolchain; once per machine)"
  tmp=$(mktemp -d)
  mmdebstrap --quiet --variant=minbase --include=ca-certificates,gcc,libc6-dev \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='mkdir -p "$1/usr/local/share/ca-certificates" "$1/usr/local/rustup/toolchains" "$1/usr/local/cargo/bin"' \
    --customize-hook='for c in /usr/local/share/ca-certificates/*.crt; do [ -f "$c" ] && cp "$c" "$1/usr/local/share/ca-certificates/"; done; chroot "$1" update-ca-certificates >/dev/null' \
    --customize-hook="cp -a '$sysroot' \"\$1/usr/local/rustup/toolchains/\" && rm -rf \"\$1/usr/local/rustup/toolchains/$toolchain/lib/rustlib/wasm32-unknown-unknown\" \"\$1/usr/local/rustup/toolchains/$toolchain/share/doc\"" \
    --customize-hook="cp '$(command -v rustup)' \"\$1/usr/local/cargo/bin/rustup\" && for t in cargo rustc rustdoc; do ln -s rustup \"\$1/usr/local/cargo/bin/\$t\"; done" \
    --customize-hook="printf 'version = \"12\"\\ndefault_toolchain = \"$toolchain\"\\nprofile = \"minimal\"\\n' > \"\$1/usr/local/rustup/settings.toml\"" \
    --customize-hook='rm -rf "$1/var/lib/apt/lists/"* "$1/var/cache/apt/"*' \
    bookworm "$tmp/rootfs.tar"
  podman import --quiet \
    --change 'ENV RUSTUP_HOME=/usr/local/rustup' --change 'ENV CARGO_HOME=/usr/local/cargo' \
    --change 'ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL io.ml-provisioner.stand-in=$key" "$tmp/rootfs.tar" "$builder_image" >/dev/null
  rm -rf "$tmp"
}
# The runtime base (distroless static: no shell, no package manager): users root, nobody and
# nonroot, CA certificates, /tmp. The image brings its own users and certificates anyway.
make_runtime() {
  local key tmp
  key=$(standin_key "$runtime_image")
  has_standin "$runtime_image" "$key" && return 0
  step "stand-in $runtime_image (users, CA certificates, /tmp)"
  tmp=$(mktemp -d)
  mkdir -p "$tmp/root/etc/ssl/certs" "$tmp/root/tmp" "$tmp/root/home/nonroot" "$tmp/root/root"
  chmod 1777 "$tmp/root/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$tmp/root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > "$tmp/root/etc/group"
  cp /etc/ssl/certs/ca-certificates.crt "$tmp/root/etc/ssl/certs/"
  cp /etc/os-release "$tmp/root/etc/os-release"
  tar --numeric-owner --owner=0 --group=0 -C "$tmp/root" -cf "$tmp/rootfs.tar" .
  podman import --quiet --change "LABEL io.ml-provisioner.stand-in=$key" "$tmp/rootfs.tar" "$runtime_image" >/dev/null
  rm -rf "$tmp"
}
make_builder
make_runtime
# ---- end of stand-ins

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
logs=$PODMAN_DIR/logs  # each build's output, shown when it fails
mkdir -p "$logs"
build() { # tier tag [more podman build args]: output in $logs/<tier>.log
  local tier=$1 tag=$2
  shift 2
  podman build --pull=never --build-arg "TIER=$tier" --build-arg "VERSION=$version" "$@" -t "$tag" . >"$logs/$tier.log" 2>&1
}

for tier in "${TIERS[@]}"; do
  step "build ml-provisioner:$tier"
  start=$SECONDS
  build "$tier" "ml-provisioner:$tier" || fail "the $tier build failed: $(tail -20 "$logs/$tier.log")"
  echo "built in $((SECONDS - start)) s"
done

step "a Marketplace build: the product code is compiled in"
build starter ml-provisioner:marketplace-check --build-arg PRODUCT_CODE=mlprov-test-code \
  || fail "the build with PRODUCT_CODE failed: $(tail -20 "$logs/starter.log")"
podman run --rm --network none ml-provisioner:marketplace-check --version | grep -q "product code mlprov-test-code" \
  || fail "the PRODUCT_CODE build's --version names no product code"
podman rmi ml-provisioner:marketplace-check >/dev/null

step "a TIER that names no tier, or none, fails the build"
if build gold ml-provisioner:bad-tier; then fail "TIER=gold built an image"; fi
grep -q "'gold' names no tier" "$logs/gold.log" || fail "TIER=gold failed for another reason: $(tail -5 "$logs/gold.log")"
if podman build --pull=never -t ml-provisioner:no-tier . >"$logs/none.log" 2>&1; then fail "a build without TIER succeeded"; fi
grep -q "TIER is required" "$logs/none.log" || fail "no TIER failed for another reason: $(tail -5 "$logs/none.log")"

work=$(mktemp -d)
stub=
trap '[ -z "$stub" ] || kill "$stub" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/home/.aws" "$work/ml/configs" "$work/ml/policies" "$work/ml/templates" "$work/ml/reports" "$work/ml/docs"
printf '[default]\nregion = us-east-1\n' > "$work/home/.aws/config"
printf '[default]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = example\n' > "$work/home/.aws/credentials"
cp examples/configs/*.yaml "$work/ml/configs/"
# The image runs as uid 10001: its output folders must be writable by it (README, "Container image").
chown 10001:10001 "$work/ml/policies" "$work/ml/templates" "$work/ml/reports"
example_of() { grep -l "tier: $1\$" "$work"/ml/configs/*.yaml | head -1 | xargs basename; }
run_locked() { # image args... : non-root, read-only root, no network, configs and ~/.aws read-only
  podman run --rm --read-only --network none \
    -v "$work/home/.aws:/home/mluser/.aws:ro" -v "$work/ml/configs:/app/configs:ro" \
    -v "$work/ml/policies:/app/policies" -v "$work/ml/templates:/app/templates" \
    -v "$work/ml/reports:/app/reports" "$@"
}

for i in "${!TIERS[@]}"; do
  tier=${TIERS[$i]}
  image=ml-provisioner:$tier
  step "$image: user, --help, --version, outputs, tier limit"
  user=$(podman image inspect --format '{{.Config.User}}' "$image")
  [ "$user" = "10001:10001" ] || fail "$image runs as '$user', not 10001:10001"
  run_locked "$image" >"$work/help" || fail "$image: the default command (--help) failed"
  grep -q -- "copy-examples" "$work/help" || fail "$image: --help lists no copy-examples"
  run_locked "$image" --version >"$work/version" || fail "$image --version failed"
  grep -q "^ml-provisioner $version\$" "$work/version" || fail "$image --version: $(cat "$work/version")"
  grep -q "the $tier tier at most" "$work/version" || fail "$image --version has no $tier limit: $(cat "$work/version")"
  [ "$(podman image inspect --format '{{index .Config.Labels "org.opencontainers.image.version"}}' "$image")" = "$version" ] \
    || fail "$image: label org.opencontainers.image.version is not $version"
  config=$(example_of "$tier")
  stem=${config%.yaml}
  for action in create-policy create-prov-template create-review-report; do
    run_locked "$image" -con "$config" -act "$action" >/dev/null 2>"$work/err" \
      || fail "$image -act $action on $config: $(cat "$work/err")"
  done
  [ -s "$work/ml/policies/$stem-iam-policy-1.json" ] || fail "$image: no policy for $stem"
  [ -s "$work/ml/templates/$stem-template.yaml" ] || fail "$image: no template for $stem"
  [ -s "$work/ml/reports/$stem-review-report.html" ] || fail "$image: no review report for $stem"
  cmp -s "$work/ml/templates/$stem-template.yaml" <(cd "$work/ml" && ML_PROVISIONER_HOME=$work/native "$native" -con "$work/ml/configs/$config" -act create-prov-template >/dev/null 2>&1 && cat "$work/native/templates/$stem-template.yaml") \
    || fail "$image: the template differs from the native binary's"
  if [ "$i" -lt $((${#TIERS[@]} - 1)) ]; then
    higher=$(example_of "${TIERS[$((i + 1))]}")
    code=0
    run_locked "$image" -con "$higher" -act create-prov-template >/dev/null 2>"$work/err" || code=$?
    [ "$code" = 4 ] || fail "$image on a ${TIERS[$((i + 1))]} config: exit $code, not 4: $(cat "$work/err")"
    [ ! -e "$work/ml/templates/${higher%.yaml}-template.yaml" ] || fail "$image wrote a template it refused"
  fi
  # Without mounts: the image's own examples, written into its own folders as mluser.
  podman run --rm --network none "$image" -con "$config" -act create-prov-template >/dev/null 2>"$work/err" \
    || fail "$image without mounts (its examples, its folders): $(cat "$work/err")"
  # The root file system is read-only, and the configs are.
  code=0
  podman run --rm --read-only --network none -v "$work/ml/configs:/app/configs:ro" "$image" -act copy-examples >/dev/null 2>&1 || code=$?
  [ "$code" = 6 ] || fail "$image: copy-examples into a read-only configs folder: exit $code, not 6"
done

step "validate-config on a bad config: the same diagnostics and exit code as the native binary"
bad=$work/ml/configs/techcorp-dev-a001-us-east-1-bad-ml-codecommit.yaml
cp tests/fixtures/bad-configs/invalid-account-id.yaml "$bad"
code_image=0
run_locked ml-provisioner:enterprise -con "$(basename "$bad")" -act validate-config >"$work/image.out" 2>"$work/image.err" || code_image=$?
code_native=0
(cd "$work" && ML_PROVISIONER_HOME=$work/ml "$native" -con "$(basename "$bad")" -act validate-config) >"$work/native.out" 2>"$work/native.err" || code_native=$?
[ "$code_image" = "$code_native" ] && [ "$code_image" != 0 ] || fail "validate-config exit: image $code_image, native $code_native"
# The same text but for the run log's name (a timestamp) and the folder shown (/app vs ml/).
strip() { grep -v '^log: ' "$1" | sed -e 's#ml/configs/#configs/#g'; }
diff <(strip "$work/image.out") <(strip "$work/native.out") || fail "validate-config stdout differs"
diff <(strip "$work/image.err") <(strip "$work/native.err") || fail "validate-config stderr differs"
[ -s "$work/image.out" ] || [ -s "$work/image.err" ] || fail "validate-config printed nothing"
rm -f "$bad"

step "the user guide's lines (tests/image/user-guide.sh), docker -> podman"
rm -rf "$work/ml/policies/"* "$work/ml/templates/"* "$work/ml/reports/"*
(cd "$work" && HOME=$work/home bash "$root/tests/image/user-guide.sh") || fail "a user guide line failed"
stem=techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit
for f in "policies/$stem-iam-policy-1.json" "templates/$stem-template.yaml" "reports/$stem-review-report.html"; do
  [ -s "$work/ml/$f" ] || fail "the user guide's lines wrote no ml/$f"
done

step "copy-examples into a mounted folder (README), as the caller's user"
mkdir -p "$work/out/ml/configs" "$work/out/ml/reports"
(cd "$work/out" && podman run --rm --user "$(id -u):$(id -g)" \
  -v "$(pwd)/ml/configs:/app/configs" -v "$(pwd)/ml/reports:/app/reports" \
  ml-provisioner:starter -act copy-examples >/dev/null)
# The same files, byte for byte, as the native binary writes with the starter limit (the
# examples of that tier and the schema beside them).
mkdir -p "$work/native-copy"
ML_PROVISIONER_TIER=starter ML_PROVISIONER_HOME=$work/native-copy "$native" -act copy-examples >/dev/null 2>&1 \
  || fail "the native copy-examples failed"
diff -r "$work/native-copy/configs" "$work/out/ml/configs" >/dev/null || fail "copy-examples: the image's files differ from the native binary's"
cmp -s core/schema/ml-provisioner-config.schema.json "$work/out/ml/configs/ml-provisioner-config.schema.json" \
  || fail "copy-examples: no schema beside the examples"
n=$(grep -l 'tier: starter$' examples/configs/*.yaml | wc -l)
[ "$(find "$work/out/ml/configs" -name '*.yaml' | wc -l)" = "$n" ] || fail "copy-examples: not the $n starter examples"

step "TLS: the image verifies HTTPS with its CA bundle (an unknown issuer is refused; a trusted one works)"
# A local HTTPS endpoint whose certificate comes from a test CA, answering every call as STS
# would for unknown credentials. With the image's own bundle the CLI must refuse the certificate;
# with a bundle holding the test CA, mounted where SSL_CERT_FILE points, it must reach the
# endpoint and report AWS's answer: TLS works in the static binary, from that file.
tls=$work/tls
mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ml-provisioner test CA" \
  -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > "$tls/san.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
  -days 2 -extfile "$tls/san.ext" -out "$tls/server.pem" 2>/dev/null
python3 tests/image/https_sts_stub.py "$tls/server.pem" "$tls/server.key" >"$tls/port" &
stub=$!
for _ in $(seq 50); do [ -s "$tls/port" ] && break; sleep 0.1; done
port=$(head -1 "$tls/port")
tls_run() { # extra podman args...
  podman run --rm --network host -v "$work/ml/configs:/app/configs:ro" -v "$work/ml/reports:/app/reports" \
    -e AWS_ACCESS_KEY_ID=AKIAEXAMPLEEXAMPLE00 -e AWS_SECRET_ACCESS_KEY=example "$@" \
    ml-provisioner:starter -con "$(example_of starter)" -act show-changes --endpoint-url "https://127.0.0.1:$port"
}
code=0; tls_run >/dev/null 2>"$tls/untrusted.err" || code=$?
grep -qi "certificate" "$tls/untrusted.err" || fail "an untrusted endpoint: exit $code, no certificate error: $(cat "$tls/untrusted.err")"
code=0; tls_run -v "$tls/ca.pem:/etc/ssl/certs/ca-certificates.crt:ro" >/dev/null 2>"$tls/trusted.err" || code=$?
grep -q "InvalidClientTokenId" "$tls/trusted.err" || fail "a trusted endpoint: exit $code, AWS's answer not reported: $(cat "$tls/trusted.err")"
kill "$stub" 2>/dev/null || true
stub=

step "image sizes"
for tier in "${TIERS[@]}"; do
  printf 'ml-provisioner:%-13s %s bytes\n' "$tier" "$(podman image inspect --format '{{.Size}}' "ml-provisioner:$tier")"
done
# Keep the build stage's layers (the compiled dependencies) for the next run: a tag on the
# stage's last layer (already built, so this compiles nothing) keeps its chain out of the
# prune, which removes the untagged layers of earlier builds.
build enterprise localhost/ml-provisioner-build:cache --target build
podman image prune --force >/dev/null
echo "image-check: all passed"
