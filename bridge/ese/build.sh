#!/usr/bin/env bash
# Builds Microsoft's ESE (microsoft/Extensible-Storage-Engine, MIT) as a Windows x64 DLL on Debian,
# with clang-19 for the mingw-w64 target and lld, from a source checkout given by path.
#
#   npm run ese:build -- --source DIR [--out DIR] [--jobs N] [--flavour ese|esent] [--test-injection]
#   bash bridge/ese/build.sh --source DIR [--out DIR] [--jobs N] [--flavour ese|esent] [--test-injection]
#
# DIR is the root of an ESE checkout (it has dev/ese/src/ese/jetapi.cxx). Nothing is written there:
# the tree is copied to OUT/tree, fixed there (bridge/ese/fixes.pl, bridge/ese/patches/*.patch),
# generated files go to OUT/gen, objects to OUT/obj, the DLL to OUT/ese.dll (and OUT/esent.dll, a
# copy for the bridge). OUT defaults to reports/ese (git-ignored).
# Idempotent: the copy is redone only when the source, the fixes or the patches changed; the
# objects are rebuilt by ninja only when their inputs changed (a second run takes seconds).
# Flavour: --flavour esent (the default): as ESENT.DLL is built, -DESENT in every unit
# (JET_VALIDATE then follows from jetapi.cxx), with the Windows-internal headers it includes
# stubbed in bridge/ese/esent/ (each says why no JET API result depends on it), esent_x.h and jetmsg.h
# generated, the export list named ESENT, and slc.dll linked. --flavour ese: the Exchange flavour
# (-DESE) with JET_VALIDATE compiled in (handle validation, as ESENT.DLL has it); the suite's results
# were the same for both (docs/implementations/ese.md). Use one --out per flavour (switching flavours
# in one --out redoes the copy and every unit). --test-injection: ESE's own fault injection compiled
# in (TEST_INJECTION, FAULT_INJECTION; still RTM otherwise), which the bridge then arms through
# JetTestHook and declares as fault-injection; use its own --out (docs/implementations/ese.md).
# Exit codes: 0 built, 1 the build failed, 2 usage (missing tool: one line naming its Debian package;
# a wrong DIR: one line).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
me="ese:build"

die2() { echo "$me: $*" >&2; exit 2; }

source_dir=""
out="$repo/reports/ese"
jobs=2
flavour=esent
injection=0
while [ $# -gt 0 ]; do
  case "$1" in
    --source) [ $# -ge 2 ] || die2 "--source needs a directory"; source_dir="$2"; shift 2 ;;
    --source=*) source_dir="${1#--source=}"; shift ;;
    --out) [ $# -ge 2 ] || die2 "--out needs a directory"; out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --jobs) [ $# -ge 2 ] || die2 "--jobs needs a number"; jobs="$2"; shift 2 ;;
    --flavour|--flavor) [ $# -ge 2 ] || die2 "--flavour needs ese or esent"; flavour="$2"; shift 2 ;;
    --flavour=*|--flavor=*) flavour="${1#*=}"; shift ;;
    --test-injection) injection=1; shift ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die2 "unknown argument '$1' (usage: --source DIR [--out DIR] [--jobs N] [--flavour ese|esent] [--test-injection])" ;;
  esac
done
[ -n "$source_dir" ] || die2 "--source DIR is required: the root of an ESE checkout (microsoft/Extensible-Storage-Engine)"
[ -d "$source_dir" ] || die2 "--source $source_dir: no such directory"
[ -f "$source_dir/dev/ese/src/ese/jetapi.cxx" ] && [ -f "$source_dir/dev/ese/published/inc/jethdr.w" ] ||
  die2 "--source $source_dir: not an ESE checkout (no dev/ese/src/ese/jetapi.cxx)"
case "$jobs" in ''|*[!0-9]*) die2 "--jobs must be a number" ;; esac
case "$flavour" in ese|esent) ;; *) die2 "--flavour must be ese or esent, not '$flavour'" ;; esac
source_dir="$(cd "$source_dir" && pwd)"
case "$source_dir/" in "$repo"/*) die2 "--source $source_dir is inside this repository: keep the ESE source outside it" ;; esac

# Tools: ESE_TOOL_* override a name (tests use that to simulate a missing package).
CLANGXX="${ESE_TOOL_CLANGXX:-clang++-19}"
CLANG="${ESE_TOOL_CLANG:-clang-19}"
LLD="${ESE_TOOL_LLD:-ld.lld-19}"
WINDMC="${ESE_TOOL_WINDMC:-x86_64-w64-mingw32-windmc}"
WINDRES="${ESE_TOOL_WINDRES:-x86_64-w64-mingw32-windres}"
MINGWCPP="${ESE_TOOL_MINGWCPP:-x86_64-w64-mingw32-cpp}"
PERL="${ESE_TOOL_PERL:-perl}"
NINJA="${ESE_TOOL_NINJA:-ninja}"
need() { command -v "$1" >/dev/null 2>&1 || die2 "$1 not found: install the Debian package $2"; }
need "$CLANGXX" clang-19
need "$CLANG" clang-19
need "$LLD" lld-19
need "$WINDMC" binutils-mingw-w64-x86-64
need "$WINDRES" binutils-mingw-w64-x86-64
need "$MINGWCPP" gcc-mingw-w64-x86-64
need "$PERL" perl
need "$NINJA" ninja-build
need patch patch
mingw_inc=/usr/x86_64-w64-mingw32/include
[ -f "$mingw_inc/windows.h" ] || die2 "$mingw_inc/windows.h not found: install the Debian package mingw-w64-x86-64-dev"
gccver="$(ls -d /usr/lib/gcc/x86_64-w64-mingw32/*-win32 2>/dev/null | sort -V | tail -1)"
[ -n "$gccver" ] && [ -d "$gccver/include/c++" ] || die2 "mingw libstdc++ headers not found: install the Debian package g++-mingw-w64-x86-64-win32"
cxxinc="$gccver/include/c++"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
case "$out/" in "$source_dir"/*) die2 "--out $out is inside the source checkout" ;; esac
t0=$(date +%s)
log() { echo "$me: $*" >&2; }

# ---- 1. the working copy of the tree: copied, then fixed (only when an input changed) ----
src_id="$( (cd "$source_dir" && git rev-parse HEAD 2>/dev/null) || echo nogit)"
inputs_hash="$( { echo "$src_id"; find "$source_dir/dev/ese" -type f -printf '%P %s %T@\n' | sort;
  cat "$here/fixes.pl" "$here/build.sh"; cat "$here"/patches/*.patch 2>/dev/null || true; echo "flavour $flavour injection $injection"; } | sha256sum | cut -c1-16)"
tree="$out/tree"
# ESE_BUILD_REUSE_TREE=1 keeps an existing working copy although the fixes changed (only to iterate
# on fixes.pl by hand; a real build goes without it).
if [ "${ESE_BUILD_REUSE_TREE:-0}" = 1 ] && [ -d "$tree" ]; then
  log "ESE_BUILD_REUSE_TREE=1: reusing the working copy as it is"
  echo "$inputs_hash" >"$out/tree.stamp"; echo "$inputs_hash" >"$out/gen.stamp"
fi
if [ "$(cat "$out/tree.stamp" 2>/dev/null)" != "$inputs_hash" ]; then
  log "preparing the working copy in $tree"
  rm -rf "$tree" "$out/tree.stamp"
  mkdir -p "$tree"
  cp -a "$source_dir/dev/ese/published" "$source_dir/dev/ese/src" "$tree/"
  for p in "$here"/patches/*.patch; do
    [ -e "$p" ] || continue
    patch -s -p1 -d "$tree" <"$p" || { log "patch $(basename "$p") does not apply to this source"; exit 1; }
  done
  "$PERL" "$here/fixes.pl" "$tree" "$mingw_inc" || { log "fixes.pl failed"; exit 1; }
  echo "$inputs_hash" >"$out/tree.stamp"
fi
echo "$src_id" >"$out/source-commit.txt"
echo "$flavour" >"$out/flavour.txt"
echo "$injection" >"$out/test-injection.txt"

# ---- 2. generated files (the six Perl generators run unchanged; windmc for mc.exe) ----
gen="$out/gen"
E="$tree/src"
P="$tree/published/inc"
if [ "$(cat "$out/gen.stamp" 2>/dev/null)" != "$inputs_hash" ]; then
  log "generating headers, tables and resources in $gen"
  rm -rf "$gen"; mkdir -p "$gen/inc/jet" "$gen/ese" "$gen/_res" "$gen/_etw" "$gen/_perfctrs"
  # INC_OUTPUT_DIRECTORY of the CMake build: jethdr.w is the header eseex_x.h
  cp "$P/jethdr.w" "$gen/inc/eseex_x.h"; cp "$P/jethdr.w" "$gen/inc/jet/eseex_x.h"
  cp "$P/jet.h" "$gen/inc/jet.h"
  (cd "$E/ese" && "$PERL" genapitable.pl "$E/inc/_jet.hxx" "$gen/ese/jetapitable.cxx") >/dev/null
  (cd "$E/_errstr" && "$PERL" err.pl "$P/jethdr.w" "$gen/err.cxx") >/dev/null
  (cd "$E/_perfctrs" && "$PERL" perfdata.pl ESE "$gen/_perfctrs/" eseperf.hxx eseperf.ini perfdata.txt ESE) >/dev/null
  (cd "$E/os" && "$PERL" gentracetagimpl.pl "$P/jethdr.w" "$gen/inc/_tracetagimpl.h") >/dev/null
  (cd "$E/_res" && "$PERL" fixmc.pl jetmsg.mc "$gen/_res/jetmsgex.mc") >/dev/null
  # windmc: the message ids are DWORDs, and it rejects an empty message body.
  "$PERL" -0pi -e 's/MessageIdTypedef=MessageId\b/MessageIdTypedef=DWORD/g; s/(\nLanguage=[^\r\n]*\r?\n)(\.\r?\n)/$1%0\n$2/g' "$gen/_res/jetmsgex.mc"
  (cd "$gen/_res" && "$WINDMC" -h . -r . jetmsgex.mc)
  if [ "$flavour" = esent ]; then
    # ESENT includes esent_x.h (the whole of jethdr.w, public and internal, as eseex_x.h is for ESE)
    # and jetmsg.h (mc.exe on jetmsg.mc itself; same two windmc tweaks). The resource stays jetmsgex.
    cp "$P/jethdr.w" "$gen/inc/esent_x.h"
    "$PERL" -0pe 's/MessageIdTypedef=MessageId\b/MessageIdTypedef=DWORD/g; s/(\nLanguage=[^\r\n]*\r?\n)(\.\r?\n)/$1%0\n$2/g' "$E/_res/jetmsg.mc" >"$gen/_res/jetmsg.mc"
    mkdir -p "$gen/_res/jetmsg"
    (cd "$gen/_res/jetmsg" && "$WINDMC" -h . -r . ../jetmsg.mc && cp jetmsg.h ..)
  fi
  # ETW: mc.exe's manifest mode has no Debian equivalent; ETW is off, so a no-op provider header.
  bash "$here/gen-etw-stub.sh" "$E/os" "$gen/inc/_tracetagimpl.h" >"$gen/_etw/Microsoft-ETW-ESE.h"
  # The export list, as cl /EP makes it for ese.dll
  "$MINGWCPP" -P -x c -DLIBNAME="$([ "$flavour" = esent ] && echo ESENT || echo ESE)" "$E/ese/esent.def" | grep -v -E '^\s*(DebugExtension(Initialize|Uninitialize|Notify)|ese)\b' >"$gen/ese.def"
  printf '#include "%s"\n' "$E/ese/ese.rc" >"$gen/ese_res.rc"
  "$WINDRES" -I "$gen/_res" -I "$E/ese" -i "$gen/ese_res.rc" -o "$gen/ese_res.o"
  echo "$inputs_hash" >"$out/gen.stamp"
fi

# ---- 3. compile and link (ninja: only what changed is rebuilt) ----
# The flavour: ESE gets JET_VALIDATE by hand (jetapi.cxx defines it only for DEBUG or ESENT);
# ESENT is defined in every unit (the OS layer has ESENT branches too) and finds the stubs of the
# Windows-internal headers after the tree's own include paths.
if [ "$flavour" = esent ]; then
  flavour_defs=(-DESENT "-DWSZVERSIONNAME=L\"ESENT\"" -idirafter "$here/esent" -include "$here/esent/esent-compat.h")
  flavour_libs=(-lslc)
else
  flavour_defs=("-DWSZVERSIONNAME=L\"ESE\"" -DJET_VALIDATE)
  flavour_libs=()
fi
# --test-injection: ESE's fault injection (ErrFaultInjection, armed through JetTestHook's
# opTestHookTestInjection), which error.hxx compiles in only when RTM is undefined. The build stays
# RTM (no RTL asserts, the retail code paths) and defines the two switches error.hxx would define.
if [ "$injection" = 1 ]; then flavour_defs+=(-DTEST_INJECTION -DFAULT_INJECTION); fi
common=(--target=x86_64-w64-windows-gnu -nostdinc++ -isystem "$cxxinc" -isystem "$cxxinc/x86_64-w64-mingw32"
  -fms-extensions -fms-compatibility -fms-compatibility-version=19.29 -fdelayed-template-parsing -fgnuc-version=12
  -fno-operator-names -fno-access-control -fno-exceptions -fno-rtti -fcheck-new -fwrapv -fno-strict-aliasing -msse4.2 -mavx -O1
  -Wno-everything -ferror-limit=0 -fdiagnostics-parseable-fixits
  -D_AMD64_ -DAMD64 -D_WIN64 -DRTM -DNDEBUG -D_ATL_STATIC_REGISTRY -DJET_VERSION=0xFFFF
  "-DPRODUCT_MAJOR=\"10\"" "-DPRODUCT_MINOR=\"0\"" "-DBUILD_MAJOR=\"0\"" "-DBUILD_MINOR=\"0\""
  -include "$here/compat.h"
  "${flavour_defs[@]}"
  -I "$P" -I "$P/bf" -I "$P/os" -I "$E/inc" -I "$gen/_res" -I "$gen/inc" -I "$gen/inc/jet" -I "$E/inc/_osu" -I "$gen/_etw" -idirafter "$tree/_case")
ese_defs=(-D_HAS_EXCEPTIONS=0 -D_MBCS -DDELAYLOAD_VERSION=0x0200 -DFILETYPE_DLL -DPERFMON_SUPPORT)
[ "$flavour" = esent ] || ese_defs+=(-DESE)
q() { local a; for a in "$@"; do printf '%q ' "$a" | sed 's/\$/$$/g'; done; }
obj="$out/obj"
mkdir -p "$obj"
nf="$out/build.ninja.new"
{
  echo "ninja_required_version = 1.5"
  echo "rule cxx"
  echo "  command = nice -n 10 $(q "$CLANGXX") \$flags -std=c++17 -MD -MF \$out.d -c \$in -o \$out 2>\$out.log || { cat \$out.log >&2; exit 1; }"
  echo "  depfile = \$out.d"
  echo "  deps = gcc"
  echo "  description = CXX \$in"
  echo "rule cc"
  echo "  command = nice -n 10 $(q "$CLANG") \$flags -MD -MF \$out.d -c \$in -o \$out 2>\$out.log || { cat \$out.log >&2; exit 1; }"
  echo "  depfile = \$out.d"
  echo "  deps = gcc"
  echo "  description = CC \$in"
  echo "rule link"
  echo "  command = nice -n 10 $(q "$CLANGXX") --target=x86_64-w64-windows-gnu -fuse-ld=lld -shared -o \$out @\$out.rsp $(q "$gen/ese_res.o" "$gen/ese.def") -Wl,--out-implib,$(q "$out/libese.dll.a") -static-libgcc -static-libstdc++ $(q "${flavour_libs[@]}")-Wl,--error-limit=0 && cp \$out $(q "$out/esent.dll")"
  echo "  rspfile = \$out.rsp"
  echo "  rspfile_content = \$in"
  echo "  description = LINK \$out"
  objs=()
  flavour_hdrs=(); [ "$flavour" = esent ] && flavour_hdrs=("$here"/esent/*.h)
  unit() {   # unit RULE SOURCE FLAGS...
    local rule="$1" srcf="$2"; shift 2
    local rel="${srcf#"$tree/src/"}"; rel="${rel#"$gen/"}"
    local o="$obj/${rel//\//_}.o"
    objs+=("$o")
    echo "build $(q "$o"): $rule $(q "$srcf") | $(q "$here/compat.h" "${flavour_hdrs[@]}")"
    echo "  flags = $(q "${common[@]}" "$@")"
  }
  # the translation units are those the CMake files list for ese.dll
  cm() { grep -oE "$2" "$1" | sed -E "s#.*/##"; }
  for f in $(cm "$E/ese/CMakeLists.txt" '\$\{ESE_DEV\}/src/ese/[A-Za-z0-9_]+\.cxx' | sed "s#^#$E/ese/#") "$E/ese/std.cxx" "$gen/ese/jetapitable.cxx" "$here/mingwstubs.cxx"; do
    unit cxx "$f" "${ese_defs[@]}" -I "$E/ese" -I "$E/ese/server" -I "$E/_xpress" -include "$E/ese/std.hxx"
  done
  for f in $(grep -oE '^\s+[a-z_]+\.cxx' "$E/ese/_log/CMakeLists.txt" | sed "s#^\s*#$E/ese/_log/#"); do unit cxx "$f" -D_MBCS -DPERFMON_SUPPORT -I "$E/ese/_log" -include "$E/ese/_log/logstd.hxx"; done
  for f in $(grep -oE '^\s+[a-z_]+\.cxx' "$E/ese/_osu/CMakeLists.txt" | sed "s#^\s*#$E/ese/_osu/#"); do unit cxx "$f" -D_MBCS -DPERFMON_SUPPORT -I "$E/ese/_osu" -include "$E/ese/_osu/osustd.hxx"; done
  for f in $(cm "$E/os/CMakeLists.txt" '\$\{ESE_DEV\}/src/os/[A-Za-z0-9_]+\.cxx' | sed "s#^#$E/os/#") "$E/os/winnt/osstd.cxx"; do
    case "${f##*/}" in edbg.cxx) continue ;; esac    # the WinDbg extension: not built
    unit cxx "$f" -DOS_LAYER_VIOLATIONS -DPERFMON_SUPPORT -I "$E/os/winnt" -I "$E/os" -I "$E/os/blockcache" -include "$E/os/winnt/osstd.hxx"
  done
  unit cxx "$E/sync/sync.cxx" -D_MBCS
  unit cxx "$E/dht/dht.cxx" -D_MBCS
  for f in "$E/checksum/checksum.cxx" "$E/checksum/checksum_amd64.cxx"; do unit cxx "$f" -D_MBCS -I "$E/checksum" -include "$E/checksum/checksumstd.hxx"; done
  unit cxx "$E/checksum/avx/checksum_avx.cxx" -D_MBCS -I "$E/checksum"
  for f in "$gen/err.cxx" "$E/_errstr/errorhierarchy.cxx" "$E/_errstr/errdata.cxx"; do unit cxx "$f" -I "$E/_errstr"; done
  for f in "$gen/_perfctrs/perfdata.cxx" "$gen/_perfctrs/perfdisp.cxx"; do unit cxx "$f" -D_MBCS -I "$gen/_perfctrs" -I "$E/_perfctrs"; done
  for f in "$E/_xpress/xencode.c" "$E/_xpress/xdecode.c"; do unit cc "$f" -D_UNICODE -DUNICODE -I "$E/_xpress"; done
  echo "build $(q "$out/ese.dll"): link $(q "${objs[@]}") | $(q "$gen/ese_res.o" "$gen/ese.def")"
  echo "default $(q "$out/ese.dll")"
} >"$nf"
# rewrite the ninja file only when it changed (keeps ninja's view of the build stable)
if ! cmp -s "$nf" "$out/build.ninja" 2>/dev/null; then mv "$nf" "$out/build.ninja"; else rm -f "$nf"; fi

# ---- 4. build; compiler-guided fixes (bridge/ese/autofix.pl) between rounds: the diagnostics of
# the units that failed are read, the fix-its of an allow-list of errors (a missing template<> or
# typename, an ambiguous or void ?: operand) are applied to the working copy, and ninja goes again.
# The rounds run once per working copy (the copy's stamp records that they are done).
target="${ESE_BUILD_TARGET:-$out/ese.dll}"
rounds=1
[ "$(cat "$out/autofix.stamp" 2>/dev/null)" = "$inputs_hash" ] || rounds="${ESE_BUILD_ROUNDS:-4}"
round=0
while :; do
  round=$((round + 1))
  if timeout "${ESE_BUILD_TIMEOUT:-5400}" nice -n 10 "$NINJA" -C "$out" -f build.ninja -j "$jobs" -k 0 $target >"$out/build.log" 2>&1; then
    echo "$inputs_hash" >"$out/autofix.stamp"
    break
  fi
  failed=$(grep -c '^FAILED: ' "$out/build.log" || true)
  log "round $round: $failed units failed to compile"
  if [ "$round" -ge "$rounds" ]; then
    grep -E ': (error|fatal error): |^FAILED: |undefined symbol|error:' "$out/build.log" | grep -v '^FAILED' | sort | uniq -c | sort -rn | head -40 >&2 || true
    log "the build failed (see the compiler output above; each unit's diagnostics are in $out/obj/*.o.log)"
    exit 1
  fi
  logs=()
  for l in "$obj"/*.o.log; do [ -e "${l%.log}" ] || logs+=("$l"); done
  n="$("$PERL" "$here/autofix.pl" "$tree" "${logs[@]}")"
  log "compiler-guided fixes after round $round: $n edits in the working copy"
  if [ "$n" -eq 0 ]; then log "the build failed: nothing left that the compiler-guided fixes can fix"; exit 1; fi
done
log "built $out/ese.dll ($flavour flavour, $(stat -c %s "$out/ese.dll") bytes) and $out/esent.dll in $(( $(date +%s) - t0 )) s"
