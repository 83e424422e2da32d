#!/usr/bin/env bash
# Installs what the test suite needs and the machine lacks: redis-server, chromium, docker-compose
# and openssl, from Debian/Ubuntu packages via apt-get. Sourced by scripts/test.sh and
# scripts/test-node-lts.sh.
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
