#!/bin/sh
# load.sh - 30 clerk processes for 60 s on a copy of the 10,000-dossier store.
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cp "$BENCH_DB_10K" "$T/s.db"
mkdir "$T/log"
"$ROOT/build/load" "$T/s.db" 30 "${LOAD_SECONDS:-60}" "$T/log" | grep -v '^#'
