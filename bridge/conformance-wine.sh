#!/usr/bin/env bash
# Runs the conformance suite through the native bridge under Wine, against Wine's own esent.dll.
#
#   bridge/conformance-wine.sh [RUN OPTIONS...]
#
# RUN OPTIONS go to `ese-conformance run` (after the defaults --adapter process --report-dir
# reports/wine, so they can override them), e.g. --tier esent, or
# --expectations expectations/wine.expectations to gate on the recorded Wine result.
# Builds the bridge into a temp dir, uses a fresh WINEPREFIX there with a persistent wineserver
# (a bridge restart then costs a fraction of a second), and removes both at the end.
# Exit code: that of `ese-conformance run` (against Wine's esent.dll: 1, every scenario CRASH).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "bridge/conformance-wine.sh: $1 not found: install the Debian package $2" >&2
    exit 2
  fi
}
need wine "wine (and wine64)"
need wineserver wine
need wineboot wine
need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ese-conformance-wine.XXXXXX")"
export WINEPREFIX="$tmp/prefix"
# winedbg off: it would write to the bridge's stdout. No Mono/Gecko installers in the new prefix.
export WINEDLLOVERRIDES="winedbg.exe=d;mscoree,mshtml="
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEARCH=win64
cleanup() {
  timeout 20 wineserver -k >/dev/null 2>&1 || true
  timeout 20 wineserver -w >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$WINEPREFIX"

bash "$here/build.sh" "$tmp/bridge" >/dev/null
# The server first, with no pipes of ours (a server started by a wine process inherits its stdout).
timeout 30 wineserver -p </dev/null >/dev/null 2>&1
start=$(date +%s)
timeout 180 wineboot -i </dev/null >/dev/null 2>&1
echo "bridge/conformance-wine.sh: $(wine --version) prefix ready in $(( $(date +%s) - start )) s" >&2

# From the sources (ts-node), so the run never uses a stale dist/.
set +e
TS_NODE_PROJECT="$repo/tsconfig.json" timeout 1800 node --require "$repo/node_modules/ts-node/register/transpile-only" "$repo/cli/main.ts" run \
  --adapter process --report-dir "$repo/reports/wine" "$@" -- wine "$tmp/bridge/ese-bridge.exe"
code=$?
set -e
if [ "$code" -eq 124 ]; then echo "bridge/conformance-wine.sh: the run did not finish within 30 minutes" >&2; fi
exit "$code"
