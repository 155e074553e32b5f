# motcua - build, run, test, bench, install.
# `make run` and `make test` first install missing Debian packages (tools/deps.sh).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man/man1
DESTDIR ?=
CC      ?= cc
PKG_CONFIG ?= pkg-config
# curses: ncursesw (wide characters), else ncurses when it is the wide one (as nnn does)
CURSES_PKG := $(shell $(PKG_CONFIG) --exists ncursesw 2>/dev/null && echo ncursesw || \
		  { $(PKG_CONFIG) --exists ncurses 2>/dev/null && echo ncurses; })
PKGS     = $(or $(CURSES_PKG),ncursesw) sqlite3 libpq libcrypto libutf8proc jansson p11-kit-1 libcurl libmagic
PKG_MISSING := $(shell for p in $(PKGS); do $(PKG_CONFIG) --exists $$p 2>/dev/null || echo $$p; done)
PKG_CFLAGS  := $(if $(PKG_MISSING),,$(shell $(PKG_CONFIG) --cflags $(PKGS)))
PKG_LIBS    := $(if $(PKG_MISSING),,$(shell $(PKG_CONFIG) --libs $(PKGS)))
# expanded in the recipes that compile: `make deps` and `make clean` still work
PKG_CHECK = $(if $(PKG_MISSING),$(error pkg-config cannot find the package(s) $(PKG_MISSING) (for ncursesw, ncurses also does): run tools/deps.sh, which installs them as root and otherwise prints the apt-get command))
OPT     ?= -O2 -g
# -Werror for developers, `make test` and CI; packagers may build with WERROR=0
WERROR  ?= 1
WARN     = -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) $(shell $(CC) -Werror -Wno-format-truncation -E -x c /dev/null >/dev/null 2>&1 && echo -Wno-format-truncation)
VERSION  = 0.1.0
# CPPFLAGS, CFLAGS and LDFLAGS from the environment or the command line are honoured
# (distribution hardening flags); -MMD -MP write each object's header dependencies
CFLAGS_ALL = -std=c11 -pthread -D_GNU_SOURCE -DMOTCUA_VERSION=\"$(VERSION)\" $(OPT) $(WARN) -Isrc -Ibuild $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
DEPFLAGS   = -MMD -MP
LDLIBS_ALL = $(PKG_LIBS) -lcsv -lm -pthread $(LDLIBS)
SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

CORE_SRC   = $(filter-out src/main.c,$(wildcard src/*.c))
SCREEN_SRC = $(wildcard screens/*.c)
DB_FILES   = $(sort $(wildcard db/*.sql db/*/*.sql db/*/*.csv))
UNIT_SRC   = $(wildcard tests/unit/test_*.c)

CORE_OBJ    = $(CORE_SRC:%.c=build/%.o) build/embedded.o
APP_OBJ     = $(CORE_OBJ) $(SCREEN_SRC:%.c=build/%.o) build/src/main.o
ASAN_OBJ    = $(CORE_SRC:%.c=build/asan/%.o) build/asan/embedded.o
ASAN_APP    = $(ASAN_OBJ) $(SCREEN_SRC:%.c=build/asan/%.o) build/asan/src/main.o
UNIT_BIN    = $(UNIT_SRC:tests/unit/%.c=build/tests/%)
UNIT_ASAN   = $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

DEMO_DB ?= demo/motcua.db

.PHONY: all run test check bench install uninstall clean deps demo fuzz man test-build
all: motcua

deps:
	@sh tools/deps.sh

# the UI's gettext catalogs: po/LANG.po -> build/locale/LANG/LC_MESSAGES/motcua.mo
MO_FILES = $(patsubst po/%.po,build/locale/%/LC_MESSAGES/motcua.mo,$(wildcard po/*.po))
motcua: $(APP_OBJ) | $(MO_FILES)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

build/locale/%/LC_MESSAGES/motcua.mo: po/%.po
	@mkdir -p $(dir $@)
	@msgfmt -c -o $@ $<

# every message a person reads: the core's err_set formats, the CLI's and the UI's text
# (tests/cli/i18n.sh extracts with the same keywords: keep them in step)
XGETTEXT_KEYS = --keyword=_ --keyword=N_ --keyword=err_set:3 --flag=err_set:3:c-format \
	--keyword=err_set_hint:4 --flag=err_set_hint:4:c-format --keyword=err_set_field:4 \
	--flag=err_set_field:4:c-format --keyword=cli_usage:2 --flag=cli_usage:2:c-format \
	--keyword=cli_print_err:1 --flag=cli_print_err:1:c-format \
	--keyword=clean_fail:3 --flag=clean_fail:3:c-format \
	--keyword=text_clean:2 --keyword=store_fail:4 --keyword=store_step_done:4
POT ?= po/motcua.pot
# the pkg-config packages of the build, for scripts that compile parts of motcua (fuzzing)
.PHONY: print-pkgs
print-pkgs:
	@echo $(PKGS)

.PHONY: pot
pot: $(POT)
$(POT): $(wildcard src/*.c src/*.h screens/*.c screens/*.h)
	@xgettext --from-code=UTF-8 --add-comments=TRANSLATORS: $(XGETTEXT_KEYS) --package-name=motcua \
		--package-version=$(VERSION) -o $@ $(sort $^)
	@echo "$@: $$(grep -c '^msgid' $@) messages (msgmerge -U po/vi.po $@ to update)"

build/motcua-asan: $(ASAN_APP)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $(SAN) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

build/embedded.c: $(DB_FILES) tools/embed.sh
	@mkdir -p build
	@sh tools/embed.sh $(DB_FILES) > $@.tmp && mv $@.tmp $@

build/%.o: %.c
	$(PKG_CHECK)@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) $(DEPFLAGS) -c -o $@ $<

build/embedded.o: build/embedded.c src/embedded.h
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

build/asan/%.o: %.c
	$(PKG_CHECK)@mkdir -p $(dir $@)
	@echo "CC (asan) $<"
	@$(CC) $(CFLAGS_ALL) $(DEPFLAGS) $(SAN) -O1 -c -o $@ $<

build/asan/embedded.o: build/embedded.c src/embedded.h
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS_ALL) $(SAN) -O1 -c -o $@ $<

# the header dependencies -MMD wrote (none before the first build)
-include $(APP_OBJ:.o=.d) $(ASAN_APP:.o=.d) $(UNIT_BIN:=.d) $(UNIT_ASAN:=.d) build/bench_core.d build/load.d

# unit tests link the core as an archive: only what a test uses is pulled in
build/libmotcua.a: $(CORE_OBJ)
	@rm -f $@ && ar rcs $@ $^

build/asan/libmotcua.a: $(ASAN_OBJ)
	@rm -f $@ && ar rcs $@ $^

build/tests/%: tests/unit/%.c build/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) $(DEPFLAGS) $(LDFLAGS) -o $@ $< build/libmotcua.a $(LDLIBS_ALL) -lcmocka

build/asan/tests/%: tests/unit/%.c build/asan/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "CC (asan) $<"
	@$(CC) $(CFLAGS_ALL) $(DEPFLAGS) $(SAN) $(LDFLAGS) -O1 -o $@ $< build/asan/libmotcua.a $(LDLIBS_ALL) -lcmocka

# Build-only targets used by `make test` after dependencies are in place.
test-build: motcua build/motcua-asan $(UNIT_BIN) $(UNIT_ASAN) build/load build/bench_core build/province

run: deps
	@$(MAKE) --no-print-directory motcua
	@test -f $(DEMO_DB) || { mkdir -p $(dir $(DEMO_DB)) && ./motcua --db $(DEMO_DB) demo --province; }
	./motcua --db $(DEMO_DB)

demo: motcua
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	mkdir -p $(dir $(DEMO_DB)) && ./motcua --db $(DEMO_DB) demo --province

test check: deps
	@$(MAKE) --no-print-directory -j2 test-build WERROR=1
	@sh tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory motcua
	@sh tests/bench/run.sh

fuzz: deps
	@sh tests/fuzz/run.sh long

# Set-group-id install (README "Deployment and security"): as root and when the group
# $(MOTCUA_GROUP) exists, the binary is installed setgid to it (2755) and $(STATEDIR), the
# home of the shared store, is made group-owned 2770.  The installed binary has the
# shared store's path compiled in: set-group-id, it ignores MOTCUA_DB and refuses --db.
MOTCUA_GROUP ?= motcua
STATEDIR ?= /var/lib/motcua
install: motcua
	@mkdir -p build/install
	$(CC) $(CFLAGS_ALL) -DMOTCUA_SYSTEM_DB='"$(STATEDIR)/motcua.db"' -c -o build/install/core.o src/core.c
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o build/install/motcua $(filter-out build/src/core.o,$(APP_OBJ)) build/install/core.o $(LDLIBS_ALL)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	@if [ "$$(id -u)" = 0 ] && getent group $(MOTCUA_GROUP) >/dev/null; then \
		echo "install -g $(MOTCUA_GROUP) -m 2755 motcua $(DESTDIR)$(BINDIR)/motcua"; \
		install -g $(MOTCUA_GROUP) -m 2755 build/install/motcua $(DESTDIR)$(BINDIR)/motcua && \
		install -d -g $(MOTCUA_GROUP) -m 2770 $(DESTDIR)$(STATEDIR); \
	else \
		install -m 755 build/install/motcua $(DESTDIR)$(BINDIR)/motcua; \
		echo "note: not root or no group $(MOTCUA_GROUP): installed without set-group-id (see README)"; \
	fi
	install -m 644 motcua.1 $(DESTDIR)$(MANDIR)/motcua.1
	@for mo in build/locale/*/LC_MESSAGES/motcua.mo; do [ -f "$$mo" ] || continue; \
		d=$(DESTDIR)$(PREFIX)/share/locale/$${mo#build/locale/}; \
		install -d "$${d%/*}" && install -m 644 "$$mo" "$$d"; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/motcua $(DESTDIR)$(MANDIR)/motcua.1

clean:
	rm -rf build motcua bench/results.json

build/bench_core: tests/bench/bench_core.c build/libmotcua.a
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) $(DEPFLAGS) $(LDFLAGS) -o $@ $< build/libmotcua.a $(LDLIBS_ALL)

# the manual's key list comes from the UI's key table
man: motcua
	@./motcua keys --man > build/keys.man
	@awk 'FNR == NR { keys = keys $$0 "\n"; next } /END KEYS/ { printf "%s", keys; skip = 0 } !skip { print } /BEGIN KEYS/ { skip = 1 }' build/keys.man motcua.1 > build/motcua.1 && mv build/motcua.1 motcua.1

build/province: tests/bench/province.c build/libmotcua.a
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) -pthread -o $@ $< build/libmotcua.a $(LDLIBS_ALL)

build/load: tests/bench/load.c build/libmotcua.a
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) $(DEPFLAGS) $(LDFLAGS) -o $@ $< build/libmotcua.a $(LDLIBS_ALL)

# ---- SQLite ------------------------------------------------------------------------
# Debian 12's libsqlite3 (3.40.1) has the WAL-reset corruption bug (fixed in 3.51.3).
# SQLITE=bundled (the default): tools/sqlite.sh fetches the SQLite amalgamation with
# npm (better-sqlite3's deps/sqlite3, SHA-256 pinned), cached in build/sqlite/, and it
# is compiled in.  SQLITE=system: the Debian library, with a warning ('motcua check'
# repeats it).  Without npm the build falls back to the system library, loudly.
SQLITE ?= bundled
SQLITE_USED = system
ifeq ($(filter clean deps,$(MAKECMDGOALS)),)
ifeq ($(SQLITE),bundled)
SQLITE_USED := $(shell sh tools/sqlite.sh build)
endif
# switching between the two rebuilds what was compiled against the other's header
$(shell mkdir -p build && { echo $(SQLITE_USED) | cmp -s - build/sqlite.mode || echo $(SQLITE_USED) >build/sqlite.mode; })
$(CORE_SRC:%.c=build/%.o) $(CORE_SRC:%.c=build/asan/%.o) build/src/main.o build/asan/src/main.o: build/sqlite.mode
endif
ifeq ($(SQLITE_USED),bundled)
# the options motcua relies on: FTS5 (search), JSON (built in), no double-quoted
# strings, threads as SQLite's multi-thread mode (a connection is never shared)
SQLITE_DEFS = -DSQLITE_THREADSAFE=2 -DSQLITE_ENABLE_FTS5 -DSQLITE_DQS=0 -DSQLITE_DEFAULT_MEMSTATUS=0 \
	-DSQLITE_OMIT_SHARED_CACHE -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_USE_URI=0 -DSQLITE_OMIT_LOAD_EXTENSION \
	-DSQLITE_DEFAULT_FOREIGN_KEYS=1 -DSQLITE_ENABLE_MATH_FUNCTIONS
CFLAGS_ALL += -Ibuild/sqlite
PKG_LIBS := $(filter-out -lsqlite3,$(PKG_LIBS))
CORE_OBJ += build/sqlite/sqlite3.o
ASAN_OBJ += build/sqlite/sqlite3.o
motcua build/motcua-asan build/libmotcua.a build/asan/libmotcua.a: build/sqlite/sqlite3.o
$(CORE_SRC:%.c=build/%.o) $(CORE_SRC:%.c=build/asan/%.o) build/src/main.o build/asan/src/main.o: build/sqlite/sqlite3.h
build/sqlite/sqlite3.o: build/sqlite/sqlite3.c build/sqlite/sqlite3.h
	@echo "CC $< (SQLite, once)"
	@$(CC) -O2 -g $(SQLITE_DEFS) -c -o $@ $<
else
$(warning building against the system SQLite $(shell pkg-config --modversion sqlite3 2>/dev/null): releases before 3.51.3 have the WAL-reset corruption bug; 'motcua check' warns too)
endif
