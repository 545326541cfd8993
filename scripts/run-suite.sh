#!/usr/bin/env bash
# Runs compiled test files (dist/) with Node's test runner, by suite:
#   unit         *.spec.ts beside the code, Node and local files only
#   integration  *.int.spec.ts beside the code, one real outside system each (the database, dockerd, git)
#   e2e          test/*.e2e-spec.ts, the built apps as separate processes
#   provision    test/*.provision-spec.ts, the set-up steps of lib.sh; alone, since it rebuilds what others use
#   all          unit, integration and e2e (the default)
# Integration and e2e need what scripts/test.sh starts (TEST_MONGO_URL, dockerd, the base image).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

files() {
  case "$1" in
    unit) find dist/apps dist/libs -name '*.spec.js' ! -name '*.int.spec.js' ;;
    integration) find dist/apps dist/libs -name '*.int.spec.js' ;;
    e2e) find dist/test -name '*.e2e-spec.js' ;;
    provision) find dist/test -name '*.provision-spec.js' ;;
    all) files unit; files integration; files e2e ;;
    *) echo "unknown suite '$1' (unit, integration, e2e, provision, all)" >&2; return 2 ;;
  esac
}

mapfile -t tests < <(files "${1:-all}" | sort)
if [[ ${#tests[@]} -eq 0 ]]; then
  echo "no test files found for suite '${1:-all}': run npm run build first" >&2
  exit 1
fi
# --test-force-exit: a failed set-up can leave handles open (a database connection, a redialling client);
# the run must still end and report. blocking-stdout.cjs keeps that exit from losing results.
exec node --require ./scripts/blocking-stdout.cjs --test --enable-source-maps --test-force-exit --test-concurrency=2 \
  --test-timeout=600000 "${tests[@]}"
