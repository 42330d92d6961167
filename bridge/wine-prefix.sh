# Sourced by bridge/conformance-wine.sh and bridge/ese/conformance.sh: a fresh 64-bit WINEPREFIX in
# a temp dir with a persistent wineserver; on exit the server is stopped and the dir removed.
#
#   . bridge/wine-prefix.sh
#   wine_need_tools NAME        one line naming the Debian package of a missing tool; exit 2
#   wine_prefix_init TMPDIR     WINEPREFIX=TMPDIR/prefix and the Wine environment; cleanup on exit
#   wine_prefix_boot NAME       the persistent server, then wineboot (the prefix is made)
#
# WINEDEBUG keeps the caller's value (default -all).

wine_need_tools() {
  local who="$1" t pkg
  for t in "wine:wine (and wine64)" "wineserver:wine" "wineboot:wine"; do
    pkg="${t#*:}"; t="${t%%:*}"
    if ! command -v "$t" >/dev/null 2>&1; then
      echo "$who: $t not found: install the Debian package $pkg" >&2
      exit 2
    fi
  done
}

wine_prefix_cleanup() {
  timeout 20 wineserver -k >/dev/null 2>&1 || true
  timeout 20 wineserver -w >/dev/null 2>&1 || true
  rm -rf "$WINE_PREFIX_TMP"
}

wine_prefix_init() {
  WINE_PREFIX_TMP="$1"
  export WINEPREFIX="$WINE_PREFIX_TMP/prefix"
  # winedbg off: it would write to the bridge's stdout. No Mono/Gecko installers in the new prefix.
  export WINEDLLOVERRIDES="winedbg.exe=d;mscoree,mshtml="
  export WINEDEBUG="${WINEDEBUG:--all}"
  export WINEARCH=win64
  trap wine_prefix_cleanup EXIT
  mkdir -p "$WINEPREFIX"
}

wine_prefix_boot() {
  local who="$1" start
  # The server first, with no pipes of ours (a server started by a wine process inherits its stdout).
  timeout 30 wineserver -p </dev/null >/dev/null 2>&1
  start=$(date +%s)
  timeout 180 wineboot -i </dev/null >/dev/null 2>&1
  echo "$who: $(wine --version) prefix ready in $(( $(date +%s) - start )) s" >&2
}
