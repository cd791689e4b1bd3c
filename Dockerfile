# ML Provisioner, one image per tier:
#
#   podman build --build-arg TIER=starter -t ml-provisioner:starter .      (or docker build)
#
# TIER (required) is the highest tier the image may provision; it is compiled into the binary,
# which refuses a higher-tier config with exit 4, and the build fails on a value that names no
# tier. PRODUCT_CODE (optional) is the AWS Marketplace product code: an image built with it checks
# the subscription (RegisterUsage) before every action. The base images are build arguments whose
# defaults are the real upstream images; scripts/image-check.sh builds against local stand-ins.
# Portable: no BuildKit-only syntax (no heredocs, RUN --mount, COPY --chmod).

ARG BUILDER_IMAGE=docker.io/library/rust:1.96.0-slim-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12

# ---- build: a static (musl) release binary, and the image's file tree under /out ----
FROM ${BUILDER_IMAGE} AS build
# musl-gcc for the C parts of the TLS stack (aws-lc). The rust image has ca-certificates.
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools=1.2.3-1 \
 && rm -rf /var/lib/apt/lists/* \
 && rustup target add "$(uname -m)-unknown-linux-musl"
WORKDIR /src
# 1. Dependencies, from the manifests alone (placeholder sources): a source change rebuilds only
#    this project's crates. Every workspace member's manifest is needed to load the workspace;
#    only the CLI and what it uses are built.
COPY Cargo.toml Cargo.lock ./
COPY core/Cargo.toml core/
COPY native-cli/Cargo.toml native-cli/
COPY web/Cargo.toml web/
COPY tests/wasm-probe/Cargo.toml tests/wasm-probe/
RUN for d in core native-cli web tests/wasm-probe; do mkdir -p "$d/src" && touch "$d/src/lib.rs"; done \
 && echo 'fn main() {}' > native-cli/src/main.rs \
 && echo 'fn main() {}' > web/src/main.rs \
 && mkdir -p core/benches core/tests/it native-cli/tests/it \
 && touch core/benches/validate.rs core/tests/it/main.rs native-cli/tests/it/main.rs \
 && cargo build --release --locked -p ml-provisioner --target "$(uname -m)-unknown-linux-musl" \
 && rm -rf core/src native-cli/src
# 2. This project's crates (shared by the three tiers). COPY keeps the files' old times, which
#    cargo would take for "unchanged" beside step 1's newer placeholders: touch them.
COPY core core
COPY native-cli native-cli
COPY examples/configs examples/configs
RUN find core native-cli examples -type f -exec touch {} + \
 && cargo build --release --locked -p ml-provisioner --target "$(uname -m)-unknown-linux-musl"
# 3. The tier limit and product code, compiled in (ML_PROVISIONER_TIER / _PRODUCT_CODE, read by
#    native-cli/src/build.rs; only the CLI crate recompiles). `--version` fails on a tier limit
#    that names no tier: step 2's binary checks TIER first (given at run time, a variable adds
#    the limit), so a bad TIER fails before compiling; the new binary checks itself after.
ARG TIER
ARG PRODUCT_CODE=""
RUN test -n "${TIER}" || { echo "error: TIER is required: --build-arg TIER=<tier> (see list-products)" >&2; exit 1; } \
 && ML_PROVISIONER_TIER="${TIER}" "target/$(uname -m)-unknown-linux-musl/release/ml-provisioner" --version \
 && ML_PROVISIONER_TIER="${TIER}" ML_PROVISIONER_PRODUCT_CODE="${PRODUCT_CODE}" \
    cargo build --release --locked -p ml-provisioner --target "$(uname -m)-unknown-linux-musl" \
 && mkdir -p /out/root/usr/local/bin /out/root/etc/ssl/certs /out/root/app/configs /out/root/app/docs \
             /out/mluser/app/policies /out/mluser/app/templates /out/mluser/app/reports /out/mluser/home/mluser \
 && cp "target/$(uname -m)-unknown-linux-musl/release/ml-provisioner" /out/root/usr/local/bin/ \
 && /out/root/usr/local/bin/ml-provisioner --version \
 && cp /etc/ssl/certs/ca-certificates.crt /out/root/etc/ssl/certs/ \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nmluser:x:10001:10001:ML Provisioner:/home/mluser:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > /out/root/etc/passwd \
 && printf 'root:x:0:\nmluser:x:10001:\nnogroup:x:65534:\n' > /out/root/etc/group \
 && cp examples/configs/*.yaml /out/root/app/configs/
COPY README.md /out/root/app/docs/
COPY docs/*.md /out/root/app/docs/
COPY core/schema/ml-provisioner-config.schema.json /out/root/app/docs/

# ---- the image: the binary, CA certificates, the examples and docs; writable output folders ----
FROM ${RUNTIME_IMAGE}
ARG TIER
ARG VERSION=unknown
LABEL org.opencontainers.image.title="ml-provisioner" \
      org.opencontainers.image.description="Stand up a reviewed, least-privilege AWS environment for one ML product from one YAML config (tier: ${TIER})" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      io.ml-provisioner.tier="${TIER}"
COPY --from=build /out/root/ /
COPY --from=build --chown=10001:10001 /out/mluser/ /
ENV ML_PROVISIONER_HOME=/app \
    HOME=/home/mluser \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
WORKDIR /app
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/ml-provisioner"]
CMD ["--help"]
