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

. "$here/wine-prefix.sh"
wine_need_tools bridge/conformance-wine.sh
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  echo "bridge/conformance-wine.sh: x86_64-w64-mingw32-gcc not found: install the Debian package gcc-mingw-w64-x86-64" >&2
  exit 2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ese-conformance-wine.XXXXXX")"
wine_prefix_init "$tmp"
bash "$here/build.sh" "$tmp/bridge" >/dev/null
wine_prefix_boot bridge/conformance-wine.sh

# From the sources (ts-node), so the run never uses a stale dist/.
set +e
TS_NODE_PROJECT="$repo/tsconfig.json" timeout 1800 node --require "$repo/node_modules/ts-node/register/transpile-only" "$repo/cli/main.ts" run \
  --adapter process --report-dir "$repo/reports/wine" "$@" -- wine "$tmp/bridge/ese-bridge.exe"
code=$?
set -e
if [ "$code" -eq 124 ]; then echo "bridge/conformance-wine.sh: the run did not finish within 30 minutes" >&2; fi
exit "$code"
