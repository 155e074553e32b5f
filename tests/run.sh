#!/bin/sh
# run.sh - runs every test of motcua and ends with "N passed, N failed".
#
# Unit tests (cmocka, TAP output) run twice: plain and under ASan+UBSan.
# Script tests (tests/cli, tests/tui, tests/sync, ...) are shell scripts that
# print TAP lines through tests/lib.sh; they use the sanitised binary where
# MOTCUA is not set by the script itself.
# Set ONLY=pattern to run only the matching tests.
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
export ROOT
OUT=$(mktemp -d "${TMPDIR:-/tmp}/motcua-test.XXXXXX")
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:verify_asan_link_order=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
passed=0; failed=0; failures=""

count() { # name file rc
	p=$(grep -c '^ok ' "$2"); f=$(grep -c '^not ok ' "$2")
	if [ "$3" != 0 ] && [ "$f" = 0 ]; then f=1; echo "not ok - $1 exited with $3" >>"$2"; fi
	if [ "$p" = 0 ] && [ "$f" = 0 ]; then f=1; echo "not ok - $1 ran no check" >>"$2"; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" != 0 ]; then
		failures="$failures $1"
		echo "FAIL $1 ($p passed, $f failed)"; grep -A15 '^not ok ' "$2" | head -60
	else
		echo "ok   $1 ($p checks)"
	fi
}

for t in build/tests/test_* build/asan/tests/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *"${ONLY:-}"*) ;; *) continue ;; esac
	name=${t#build/}; log="$OUT/$(echo "$name" | tr / _).log"
	"$t" >"$log" 2>&1; count "$name" "$log" $?
done

for t in tests/cli/*.sh tests/tui/*.sh tests/sync/*.sh tests/security/*.sh tests/report/*.sh tests/fault/*.sh tests/portal/*.sh tests/fuzz/short.sh; do
	[ -f "$t" ] || continue
	case "$t" in *"${ONLY:-}"*) ;; *) continue ;; esac
	log="$OUT/$(echo "$t" | tr / _).log"
	T0=$(date +%s)
	sh "$t" >"$log" 2>&1; rc=$?
	count "$t" "$log" $rc
	echo "     ($(($(date +%s) - T0)) s)"
done

[ -n "$failures" ] && echo "failed:$failures" && echo "logs in $OUT"
[ -z "$failures" ] && rm -rf "$OUT"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
