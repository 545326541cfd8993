#!/usr/bin/env bash
# Builds the dashboard (apps/web) into dist/web, after the Manager is compiled: its API client's types are
# generated from the Manager's own OpenAPI document, so a page that calls a route or sends a body the API does
# not document fails the type check here, and the build with it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
generated=apps/web/src/api/generated
mkdir -p "$generated"
node dist/apps/manager/src/main.js openapi > "$generated/openapi.json"
npx openapi-typescript "$generated/openapi.json" --output "$generated/schema.d.ts" --silent
npx tsc -p apps/web/tsconfig.json
npx vite build --config apps/web/vite.config.mts --logLevel warn
