#!/usr/bin/env bash
# What `npm test` runs: provision the shared test infrastructure (idempotent), then lint, build and
# run the test suites. An optional argument picks one suite: `npm test -- unit` (see run-suite.sh).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TD_REPO_ROOT"

# nftables is installed for the suites that need it; LXD runs the member containers' integration tests;
# the deploy key tests start their own sshd; the dashboard's tests drive Debian's chromium; the proxy's tests run
# Debian's caddy.
ensure_packages docker.io docker-compose bubblewrap lxd lxd-client dnsmasq-base btrfs-progs mmdebstrap nftables busybox-static iproute2 maven caddy \
  openjdk-17-jdk-headless git openssl ca-certificates openssh-server python3-venv chromium
ensure_node_modules
ensure_dockerd
ensure_mongo_server 27117 memory
ensure_base_image
ensure_lxd
ensure_lxd_image
ensure_compose_v2
ensure_schemathesis
ensure_proxy_sysctl
ensure_caddy_dns

# Tests pick their own database names on this server; the deploy policy's run under compose v2 too; the API is
# fuzzed with schemathesis; the dashboard's tests share one browser; the wildcard certificate's test runs a Caddy
# with a DNS provider, a DNS stand-in and pebble.
export TEST_MONGO_URL=mongodb://127.0.0.1:27117
export TEST_COMPOSE_V2="$TD_COMPOSE_V2"
export TEST_SCHEMATHESIS="$TD_SCHEMATHESIS"
export TEST_BROWSER_ENDPOINT_FILE="$TD_RUN_DIR/test-browser.endpoint"
export TEST_CADDY_DNS="$TD_CADDY_DNS"

log "npm run lint"
npm run lint
log "npm run build"
npm run build
ensure_test_browser "$TEST_BROWSER_ENDPOINT_FILE"
suite="${1:-all}"
if [[ "$suite" == all ]]; then
  # Alone and first: it removes and rebuilds the images the other suites use.
  log "tests: provision"
  bash scripts/run-suite.sh provision
fi
log "tests: $suite"
exec bash scripts/run-suite.sh "$suite"
