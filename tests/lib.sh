# lib.sh - shared helpers for script tests: TAP checks, temp stores, fixed time.
# Source it:  . "$ROOT/tests/lib.sh"
: "${ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
# tests/bin/faketime: libfaketime without the wrapper's PID-named semaphores (see there)
PATH=$ROOT/tests/bin:$PATH
export PATH
MOTCUA=${MOTCUA:-$ROOT/build/motcua-asan}
[ -x "$MOTCUA" ] || MOTCUA=$ROOT/motcua
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:verify_asan_link_order=0}"
T=$(mktemp -d "${TMPDIR:-/tmp}/motcua-t.XXXXXX")
trap 'rm -rf "$T"' EXIT
DB=$T/store.db
export MOTCUA_DB=$DB
unset XDG_DATA_HOME
# messages are Vietnamese unless the locale asks for English: the scripts read the
# English ones (tests/cli/i18n.sh checks the Vietnamese default with LANGUAGE unset)
export LANGUAGE=en
n=0

ok()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
# check DESC CMD...: passes when CMD exits 0
check() { d=$1; shift; if "$@" >"$T/.out" 2>&1; then ok "$d"; else not_ok "$d"; sed 's/^/#   /' "$T/.out" | head -20; fi; }
# check_fails DESC CMD...: passes when CMD exits non-zero
check_fails() { d=$1; shift; if "$@" >"$T/.out" 2>&1; then not_ok "$d (unexpected success)"; sed 's/^/#   /' "$T/.out" | head -20; else ok "$d"; fi; }
# check_eq DESC EXPECTED ACTUAL
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "#   expected: $2"; echo "#   actual:   $3"; fi; }
# check_match DESC PATTERN TEXT  (grep -E)
check_match() { if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else not_ok "$1"; echo "#   pattern: $2"; printf '%s\n' "$3" | head -20 | sed 's/^/#   /'; fi; }
check_nomatch() { if printf '%s\n' "$3" | grep -Eq -- "$2"; then not_ok "$1"; echo "#   unwanted: $2"; printf '%s\n' "$3" | head -20 | sed 's/^/#   /'; else ok "$1"; fi; }
# mc ARGS...: the binary as root acting for a user (--as) on the test store
mc() { LANGUAGE=en "$MOTCUA" --db "$DB" "$@"; }
# at "YYYY-MM-DD HH:MM:SS" CMD...: run with a fixed clock (+07:00 local)
# (a leading `mc` is expanded, since faketime runs programs, not shell functions)
at() {
	t=$1; shift
	if [ "$1" = mc ]; then shift; set -- "$MOTCUA" --db "$DB" "$@"; fi
	LANGUAGE=en TZ=UTC-7 faketime -f "@$t" "$@"
}
