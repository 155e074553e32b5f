#!/bin/sh
# layering.sh - the layers stay apart: the front ends (screens/, src/cli*.c) reach the
# store only through core calls; only the UI includes curses; only the store (and the
# SQLite central backend) includes sqlite3.h; nothing in src/ but main.c reaches into
# screens/; and the core archive holds no code that points into the UI.
. "$ROOT/tests/lib.sh"
cd "$ROOT" || exit 1

# lines of FILES matching the extended regexp PATTERN, as "file:line: text"
hits() { pat=$1; shift; grep -HnE -- "$pat" "$@" 2>/dev/null; }

fronts="screens/*.c screens/*.h src/cli*.c src/cli*.h"
# shellcheck disable=SC2086
check_eq "no store_ call or type in screens/ or src/cli*" "" "$(hits 'store_' $fronts)"
# shellcheck disable=SC2086
check_eq "screens/ and the CLI include no store header" "" \
	"$(hits '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(store|store_[a-z_]+)\.h"' $fronts)"
check_eq "core.h does not include store.h" "" "$(hits '#[[:space:]]*include[[:space:]]*"store\.h"' src/core.h)"

curses=$(hits '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?cursesw?/)?n?curses(w)?\.h[>"]' src/*.c src/*.h)
check_eq "nothing in src/ includes curses" "" "$curses"

sqlite=$(hits '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]sqlite3\.h[>"]' src/*.c src/*.h screens/*.c screens/*.h |
	grep -vE '^src/(store[a-z_]*|central_sqlite(_files|_reuse)?)\.[ch]:')
check_eq "only store files (and the SQLite central) include sqlite3.h" "" "$sqlite"

# a header of screens/ named from src/ (by path or by its name), main.c excepted
names=$(for h in screens/*.h; do basename "$h"; done | sed 's/\./\\./g' | paste -sd'|' -)
up=$(hits "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]*screens/[^\"]*|($names))\"" src/*.c src/*.h |
	grep -v '^src/main\.c:')
check_eq "src/ includes nothing from screens/ except main.c" "" "$up"

# the archive the unit tests link: no symbol it needs may come from screens/
if [ -f build/libmotcua.a ] && ls build/screens/*.o >/dev/null 2>&1 && command -v nm >/dev/null; then
	nm --defined-only -g build/screens/*.o 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$T/ui"
	nm -u build/libmotcua.a 2>/dev/null | awk '{ print $NF }' | sort -u >"$T/need"
	check_eq "the core archive points to no UI symbol" "" "$(comm -12 "$T/ui" "$T/need" | paste -sd' ' -)"
fi

# the test itself must catch a breach: plant one in a copy and look again
mkdir -p "$T/screens"
printf '#include "store.h"\nvoid f(void) { store_close(0); }\n' >"$T/screens/bad.c"
check_match "a planted store_ call is found" "bad\.c:2:" "$(hits 'store_' "$T/screens/bad.c")"
