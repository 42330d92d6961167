#!/usr/bin/env bash
# Runs the conformance suite (both tiers) through the native bridge under Wine against Microsoft's
# ESE built from source by bridge/ese/build.sh.
#
#   npm run conformance:ese -- --source DIR [--out DIR] [--flavour ese|esent] [--test-injection] [RUN OPTIONS...]
#
# Builds the engine (idempotent; see build.sh) in the given flavour (default esent: as ESENT.DLL is
# built; ese: the Exchange flavour with JET_VALIDATE) into OUT (default reports/ese; use one OUT per
# flavour), the bridge into a temp
# dir next to a copy of the engine named esent.dll, makes a fresh WINEPREFIX there with a persistent
# wineserver (bridge/wine-prefix.sh, shared with conformance-wine.sh), and runs
# `ese-conformance run --adapter process --tier all --report-dir reports/ese-run RUN OPTIONS -- wine ...`.
# RUN OPTIONS come after the defaults, so they can override them (e.g. --expectations
# expectations/ese.expectations, --tier esent). The bridge declares `threads` and `in-flight`, and
# `fault-injection` only for a build with --test-injection (passed to build.sh; use its own --out),
# whose JetTestHook arms ESE's own fault injection (see docs/implementations/ese.md). Exit code: that of the run; 2 for a usage error or a missing tool.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bridge="$(dirname "$here")"
repo="$(dirname "$bridge")"
me="conformance:ese"

source_dir=""
out="$repo/reports/ese"
flavour=esent
injection=()
run_opts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --source) [ $# -ge 2 ] || { echo "$me: --source needs a directory" >&2; exit 2; }; source_dir="$2"; shift 2 ;;
    --source=*) source_dir="${1#--source=}"; shift ;;
    --out) [ $# -ge 2 ] || { echo "$me: --out needs a directory" >&2; exit 2; }; out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --flavour|--flavor) [ $# -ge 2 ] || { echo "$me: --flavour needs ese or esent" >&2; exit 2; }; flavour="$2"; shift 2 ;;
    --flavour=*|--flavor=*) flavour="${1#*=}"; shift ;;
    --test-injection) injection=(--test-injection); shift ;;
    *) run_opts+=("$1"); shift ;;
  esac
done
[ -n "$source_dir" ] || { echo "$me: --source DIR is required: the root of an ESE checkout" >&2; exit 2; }
case "$flavour" in ese|esent) ;; *) echo "$me: --flavour must be ese or esent, not '$flavour'" >&2; exit 2 ;; esac

. "$bridge/wine-prefix.sh"
wine_need_tools "$me"
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 ||
  { echo "$me: x86_64-w64-mingw32-gcc not found: install the Debian package gcc-mingw-w64-x86-64" >&2; exit 2; }

bash "$here/build.sh" --source "$source_dir" --out "$out" --flavour "$flavour" "${injection[@]}"
commit="$(cat "$out/source-commit.txt" 2>/dev/null || echo unknown)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ese-conformance-ese.XXXXXX")"
export WINEDEBUG="${WINEDEBUG:-fixme-all}"
wine_prefix_init "$tmp"
bash "$bridge/build.sh" "$tmp/bridge" >/dev/null
cp "$out/ese.dll" "$tmp/bridge/esent.dll"
wine_prefix_boot "$me"

set +e
TS_NODE_PROJECT="$repo/tsconfig.json" timeout 1800 node --require "$repo/node_modules/ts-node/register/transpile-only" "$repo/cli/main.ts" run \
  --adapter process --tier all --report-dir "$repo/reports/ese-run" "${run_opts[@]}" -- \
  wine "$tmp/bridge/ese-bridge.exe" --name "ESE (microsoft/Extensible-Storage-Engine, built from source, $flavour flavour)" --impl-version "$commit"
code=$?
set -e
if [ "$code" -eq 124 ]; then echo "$me: the run did not finish within 30 minutes" >&2; fi
exit "$code"
