#!/bin/sh
# run.sh - builds the libFuzzer targets and runs them.
#   sh tests/fuzz/run.sh short   each target ~10 s (FUZZ_SECONDS), TAP lines (make test)
#   sh tests/fuzz/run.sh long    each target 300 s (FUZZ_SECONDS) (make fuzz)
#   sh tests/fuzz/run.sh MODE TARGET...   only these targets
# Targets (tests/fuzz/fuzz_*.c): catalog CSV import, Telex engine, text boundary, date
# parsing, sync bundle reader, calendar CSV.  The core is compiled with clang
# -fsanitize=fuzzer-no-link,address,undefined into build/fuzz/ (only what changed).
# Seed corpora are tests/fuzz/corpus/TARGET/ (never written by a run); short runs work
# in a temporary corpus, long runs keep theirs in build/fuzz/corpus/TARGET/.  A crash
# leaves its input in build/fuzz/artifacts/ and prints a `not ok` line with it; to
# replay: build/fuzz/fuzz_TARGET build/fuzz/artifacts/FILE.
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
MODE=${1:-short}
[ $# -gt 0 ] && shift
TARGETS=${*:-catalog telex text date bundle calendar}
case $MODE in
short) SECS=${FUZZ_SECONDS:-10} ;;
long) SECS=${FUZZ_SECONDS:-300} ;;
*) echo "usage: sh tests/fuzz/run.sh short|long [TARGET...]" >&2; exit 2 ;;
esac
B=build/fuzz
n=0
tap() { n=$((n + 1)); echo "$1 $n - $2"; }

CC=${FUZZ_CC:-clang}
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# the same libraries as the build (the Makefile's one list)
PKGS=$(make -s --no-print-directory print-pkgs)
if ! command -v "$CC" >/dev/null || ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n){(void)d;(void)n;return 0;}' |
	"$CC" -fsanitize=fuzzer -x c -o /tmp/motcua-fuzzcheck.$$ - 2>/dev/null; then
	rm -f /tmp/motcua-fuzzcheck.$$
	tap ok "# SKIP $CC with libFuzzer is not available"
	exit 0
fi
rm -f /tmp/motcua-fuzzcheck.$$
CFLAGS="-std=c11 -D_GNU_SOURCE -DMOTCUA_VERSION=\"fuzz\" -g -O1 -Wall -Wextra -Werror -Isrc -Ibuild $(pkg-config --cflags $PKGS) $SAN"
LIBS="$(pkg-config --libs $PKGS) -lcsv -lm"

# the core, compiled for fuzzing (only sources newer than their object)
mkdir -p "$B/obj" "$B/artifacts"
make --no-print-directory build/embedded.c >/dev/null || { tap "not ok" "fuzz: cannot generate build/embedded.c"; exit 1; }
newest_h=$(ls -t src/*.h | head -1)
objs=""
for c in src/*.c build/embedded.c; do
	case $c in src/main.c | src/cli*.c) continue ;; esac
	o=$B/obj/$(echo "$c" | tr / _ | sed 's/\.c$//').o
	objs="$objs $o"
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
		# shellcheck disable=SC2086
		$CC $CFLAGS -c -o "$o" "$c" 2>"$B/cc.log" || { tap "not ok" "fuzz: $c does not compile for fuzzing"; sed 's/^/#   /' "$B/cc.log" | head; exit 1; }
	fi
done
rm -f "$B/libcore.a"
# shellcheck disable=SC2086
ar rcs "$B/libcore.a" $objs

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:verify_asan_link_order=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for t in $TARGETS; do
	src=tests/fuzz/fuzz_$t.c
	[ -f "$src" ] || { tap "not ok" "fuzz $t: no $src"; continue; }
	if [ "$t" = bundle ] && [ ! -f src/bundle.h ]; then tap ok "fuzz bundle # SKIP no src/bundle.h"; continue; fi
	bin=$B/fuzz_$t
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS -fsanitize=fuzzer -o "$bin" "$src" "$B/libcore.a" $LIBS 2>"$B/ld.log"; then
		tap "not ok" "fuzz $t: does not build"; sed 's/^/#   /' "$B/ld.log" | head; continue
	fi
	if [ "$MODE" = long ]; then
		work=$B/corpus/$t
		mkdir -p "$work"
	else
		work=$(mktemp -d "${TMPDIR:-/tmp}/motcua-fuzz-$t.XXXXXX")
	fi
	mkdir -p "tests/fuzz/corpus/$t"
	log=$B/$t.log
	"$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
		-artifact_prefix="$B/artifacts/$t-" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ "$MODE" = long ] || rm -rf "$work"
	if [ $rc = 0 ]; then
		tap ok "fuzz $t: ${SECS} s, ${runs:-?} runs, no crash"
	else
		art=$(ls -t "$B"/artifacts/"$t"-* 2>/dev/null | head -1)
		tap "not ok" "fuzz $t: crashed (exit $rc); input in ${art:-?}"
		grep -E 'ERROR|SUMMARY|runtime error|#[0-9]+ 0x' "$log" | head -15 | sed 's/^/#   /'
	fi
done
