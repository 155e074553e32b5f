#!/bin/sh
# sqlite.sh - the SQLite motcua is built with.  Debian 12's libsqlite3 (3.40.1) has the
# WAL-reset corruption bug (fixed upstream in 3.51.3), so the build compiles in the
# public-domain SQLite amalgamation that the npm registry's better-sqlite3 package
# carries (deps/sqlite3/), fetched with npm, checked against a pinned SHA-256 and
# cached under build/sqlite/.  Prints "bundled" when build/sqlite/sqlite3.{c,h} are
# ready, or "system" (with a warning on stderr) when they cannot be had.
# Usage: sh tools/sqlite.sh [BUILD_DIR]
PKG=better-sqlite3@13.2.0
VERSION=3.54.1
SHA_C=75a4760a7b9727a4c4c877aec92eacf39e52a8f2921ce00bd33be6d3a8e8e254
SHA_H=d6c84557261893439b341d2e6c35187ae3ea24fbfd843ad94616f72d89242b8c
D=${1:-build}/sqlite

sum() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
ready() { [ "$(sum "$D/sqlite3.c")" = "$SHA_C" ] && [ "$(sum "$D/sqlite3.h")" = "$SHA_H" ]; }
fallback() {
	echo "warning: $1" >&2
	echo "warning: building against the system SQLite instead; if it is older than 3.51.3 it has the WAL-reset corruption bug ('motcua check' says so too)" >&2
	echo system
	exit 0
}

if ready; then
	echo bundled
	exit 0
fi
command -v npm >/dev/null 2>&1 || fallback "npm is missing (run 'make deps' as root to install it): cannot fetch SQLite $VERSION"
mkdir -p "$D/tmp" || fallback "cannot create $D"
rm -rf "$D/tmp/"*
(cd "$D/tmp" && npm pack --silent "$PKG" >pack.log 2>&1) || fallback "npm pack $PKG failed: $(tail -1 "$D/tmp/pack.log" 2>/dev/null)"
tar -xzf "$D/tmp/"better-sqlite3-*.tgz -C "$D/tmp" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h ||
	fallback "the $PKG tarball has no deps/sqlite3/"
for f in sqlite3.c sqlite3.h; do
	mv "$D/tmp/package/deps/sqlite3/$f" "$D/$f.new"
done
if [ "$(sum "$D/sqlite3.c.new")" != "$SHA_C" ] || [ "$(sum "$D/sqlite3.h.new")" != "$SHA_H" ]; then
	rm -f "$D/sqlite3.c.new" "$D/sqlite3.h.new"
	fallback "the SQLite amalgamation in $PKG does not match its pinned SHA-256 (refused)"
fi
grep -q "define SQLITE_VERSION  *\"$VERSION\"" "$D/sqlite3.h.new" || fallback "$PKG does not carry SQLite $VERSION"
mv "$D/sqlite3.c.new" "$D/sqlite3.c" && mv "$D/sqlite3.h.new" "$D/sqlite3.h" && touch "$D/sqlite3.c" "$D/sqlite3.h"
rm -rf "$D/tmp"
echo "SQLite $VERSION fetched from the npm registry ($PKG), SHA-256 checked" >&2
echo bundled
