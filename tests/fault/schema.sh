#!/bin/sh
# schema.sh - a store from an older schema version is upgraded on open; a newer one
# is refused with a message saying which side to upgrade.
. "$ROOT/tests/lib.sh"
# an "old" store: only the first migration, as an early release left it
sqlite3 "$DB" <"$ROOT/db/0001_init.sql"
sqlite3 "$DB" "PRAGMA user_version = 1"
sqlite3 "$DB" <"$ROOT/db/demo/catalog.sql"
latest=$(ls "$ROOT"/db/[0-9][0-9][0-9][0-9]_*.sql | sed 's|.*/0*\([0-9]*\)_.*|\1|' | sort -n | tail -1)
check "an older store opens" mc users
check_eq "and is upgraded to the latest schema" "$latest" "$(sqlite3 "$DB" 'pragma user_version')"
check "it works after the upgrade" mc --as clerk1 receive --procedure 1.001037 --name "Sau nâng cấp" --id 022123456700
sqlite3 "$DB" "PRAGMA user_version = 999"
rc=0; out=$(mc show X 2>&1) || rc=$?
check_eq "a newer store is refused (exit 11)" 11 "$rc"
check_match "saying to upgrade motcua" "newer than this motcua.*upgrade motcua" "$out"
check_eq "and is left untouched" 999 "$(sqlite3 "$DB" 'pragma user_version')"
