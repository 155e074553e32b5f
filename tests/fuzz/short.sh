#!/bin/sh
# short.sh - the short fuzz run of `make test`: every target for ~10 s (see run.sh).
exec sh "$(dirname "$0")/run.sh" short "$@"
