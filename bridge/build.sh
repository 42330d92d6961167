#!/usr/bin/env bash
# Builds the native bridge with mingw-w64 (Debian: gcc-mingw-w64-x86-64).
#
#   bridge/build.sh [OUTDIR]        (default: reports/bridge, which git ignores)
#   bridge/build.sh --help          this text; an unknown option: one line, exit 2
#
# OUTDIR/ese-bridge.exe             the bridge; loads the esent.dll of the normal DLL search
# OUTDIR/json_test.exe              unit test of the bridge's JSON reader/writer
# OUTDIR/testdouble/ese-bridge.exe  the same bridge, next to ...
# OUTDIR/testdouble/esent.dll       ... the test double, which it then loads instead of the system's
#
# CC overrides the compiler (e.g. gcc in an MSYS2 MINGW64 shell on Windows, or i686-w64-mingw32-gcc
# for a 32-bit build). BRIDGE_WERROR=0 keeps warnings from failing the build (a newer gcc).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
usage="usage: bridge/build.sh [OUTDIR] (default: reports/bridge)"

# One optional operand; anything that looks like a flag is not taken for a directory.
case "${1:-}" in
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
  --) shift ;;
  -*) echo "bridge/build.sh: unknown option '$1' ($usage; --help for more)" >&2; exit 2 ;;
esac
if [ $# -gt 1 ]; then
  echo "bridge/build.sh: one OUTDIR at most, got $# arguments ($usage)" >&2
  exit 2
fi
out="${1:-$repo/reports/bridge}"
cc="${CC:-x86_64-w64-mingw32-gcc}"

if ! command -v "$cc" >/dev/null 2>&1; then
  echo "bridge/build.sh: $cc not found: install the Debian package gcc-mingw-w64-x86-64" >&2
  exit 2
fi

mkdir -p "$out/testdouble"
src="$here/win32"
flags=(-std=c11 -O2 -Wall -Wextra -D_WIN32_WINNT=0x0600 -DWIN32_LEAN_AND_MEAN)
if [ "${BRIDGE_WERROR:-1}" != 0 ]; then flags+=(-Werror); fi

# Every function pointer type must match the SDK's prototype (compile-only).
"$cc" "${flags[@]}" -Werror=incompatible-pointer-types -fsyntax-only "$src/esent_api_check.c"

"$cc" "${flags[@]}" -o "$out/ese-bridge.exe" \
  "$src/main.c" "$src/ops.c" "$src/hold.c" "$src/workers.c" "$src/guard.c" "$src/state.c" "$src/output.c" \
  "$src/esent_api.c" "$src/json.c" "$src/inject.c" \
  -static-libgcc -lversion
"$cc" "${flags[@]}" -o "$out/json_test.exe" "$src/json.c" "$src/json_test.c" -static-libgcc

"$cc" "${flags[@]}" -shared -o "$out/testdouble/esent.dll" \
  "$here/testdouble/esent.c" "$here/testdouble/esent.def" -static-libgcc
cp "$out/ese-bridge.exe" "$out/testdouble/ese-bridge.exe"

echo "bridge/build.sh: built $out/ese-bridge.exe"
