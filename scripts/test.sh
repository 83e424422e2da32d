#!/usr/bin/env bash
# `npm test`: the whole suite on a fresh machine. Installs what the tests need and the machine
# lacks (redis-server, chromium, docker-compose, openssl; Debian/Ubuntu packages via apt-get),
# then typecheck, lint and every test. Extra arguments go to vitest (e.g. `npm test -- hub/`).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test: the suite needs ${need_apt[*]}; install them with your package manager and run npm test again" >&2
    exit 1
  fi
  echo "test: installing ${need_apt[*]} (apt-get)"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [ ! -d node_modules/.bin ]; then
  echo "test: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

npm run --silent typecheck
npm run --silent lint
exec npx vitest run "$@"
