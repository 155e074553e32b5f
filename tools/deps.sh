#!/bin/sh
# deps.sh - the one list of Debian packages motcua needs to build, run and test.
# Installs what is missing when run as root; otherwise prints the exact command.
PACKAGES="build-essential pkg-config clang libclang-rt-14-dev libncurses-dev libsqlite3-dev sqlite3 libpq-dev
libssl-dev openssl libutf8proc-dev libjansson-dev libcsv-dev libcmocka-dev faketime tmux libmagic-dev
libp11-kit-dev softhsm2 opensc
libcurl4-openssl-dev python3 curl
postgresql pgbouncer locales gettext man-db"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
# npm fetches the SQLite amalgamation the build compiles in (tools/sqlite.sh); any npm will do
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "Installing missing Debian packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
		echo "error: apt-get could not install:$missing" >&2; exit 1; }
else
	echo "error: missing Debian packages:$missing" >&2
	echo "Run as root:  apt-get install -y$missing" >&2
	exit 1
fi
