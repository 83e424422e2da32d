#!/usr/bin/env bash
# `npm test`: the whole suite on a fresh machine. Installs what the tests need and the machine
# lacks (redis-server, chromium, docker-compose, openssl; Debian/Ubuntu packages via apt-get),
# then typecheck, lint and every test. Extra arguments go to vitest (e.g. `npm test -- hub/`).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/system-deps.sh
if [ ! -d node_modules/.bin ]; then
  echo "test: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

npm run --silent typecheck
npm run --silent lint
exec npx vitest run "$@"
