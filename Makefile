# Makefile -- builds faqbot, its library, tests, fuzzers and benchmarks.
#
# One non-recursive GNU Makefile.  Sources are picked up by wildcard:
#   intents/*.c        -> build/libintents.a (pure library, no pkg-config)
#   bot/*.c            -> build/libbot.a + build/faqbot (bot/main.c is main)
#   tests/unit/test_*.c -> build/tests/test_* (each links libbot + libintents)
#   tests/fuzz/fuzz_*.c -> build-fuzz/fuzz_* (clang libFuzzer)
# `make test` and `make run` first call `make deps`, which installs missing
# Debian packages, then re-enter make so pkg-config sees them.

PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
CC        ?= cc
CFLAGS    ?= -O2 -g
SANFLAGS  ?=
FUZZ_SECONDS ?= 20

# Libraries of the daemon (pkg-config names); libstemmer ships no .pc file.
# libcurl is compiled against but not linked: bot/curlib.c loads it with
# dlopen() when an HTTP platform needs it (its dependency tree is ~3 MB
# of resident pages in every process otherwise).
PKGS      = libcjson libwebsockets libuv libsystemd zlib openssl
WARN      = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2
CPPFLAGS  += -D_GNU_SOURCE -MMD -MP -Iintents -Ibot
PKG_CFLAGS = $(shell pkg-config --cflags libcurl $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
INTENTS_LIBS = -lutf8proc -lstemmer -lm

# Debian packages the build, the tests and `make run` need.
DEB_PKGS  = build-essential pkg-config clang libclang-rt-14-dev \
            libcurl4-openssl-dev libssl-dev libcjson-dev libwebsockets-dev \
            libuv1-dev libsystemd-dev zlib1g-dev libstemmer-dev \
            libutf8proc-dev \
            python3 systemd ca-certificates chromium

INTENTS_SRC = $(wildcard intents/*.c)
BOT_SRC     = $(filter-out bot/main.c,$(wildcard bot/*.c))
UNIT_SRC    = $(wildcard tests/unit/test_*.c)
FUZZ_SRC    = $(wildcard tests/fuzz/fuzz_*.c)

INTENTS_OBJ = $(INTENTS_SRC:%.c=$(BUILD)/%.o)
BOT_OBJ     = $(BOT_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN    = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_BIN    = $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)

ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS)

.PHONY: all deps run test test-all unit-tests asan-tests fuzz fuzz-build \
        eval bench install clean check-kb help

all: $(BUILD)/faqbot $(BUILD)/libintents.a

## make help: list the targets.
help:
	@sed -n "s/^## make //p" Makefile

# The pure library: compiled without pkg-config flags on purpose.
$(BUILD)/intents/%.o: intents/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/bot/%.o: bot/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(PKG_CFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libintents.a: $(INTENTS_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libbot.a: $(BOT_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/faqbot: $(BUILD)/bot/main.o $(BUILD)/libbot.a $(BUILD)/libintents.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(INTENTS_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libbot.a $(BUILD)/libintents.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(INTENTS_LIBS)

# Fuzzers: clang + libFuzzer, every source compiled with coverage.
build-fuzz/%.o: %.c
	@mkdir -p $(@D)
	clang $(CPPFLAGS) $(PKG_CFLAGS) -std=c11 -g -O1 \
	    -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@

build-fuzz/fuzz_%: build-fuzz/tests/fuzz/fuzz_%.o \
    $(BOT_SRC:%.c=build-fuzz/%.o) $(INTENTS_SRC:%.c=build-fuzz/%.o)
	clang -g -fsanitize=fuzzer,address,undefined -o $@ $^ \
	    $(PKG_LIBS) $(INTENTS_LIBS)

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	        grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	    echo "deps: installing$$missing"; \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: all Debian packages present"; fi

## make run: one `faqbot run -c config/run.json`: chat in this terminal (console) while the web chat serves http://127.0.0.1:8080/.
run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(BUILD)/run-state; \
	echo "Web chat: http://127.0.0.1:8080/ (daemon log: $(BUILD)/run-daemon.log)"; \
	$(BUILD)/faqbot run -c config/run.json 2>$(BUILD)/run-daemon.log; \
	rc=$$?; if [ $$rc -ne 0 ]; then \
	    echo "faqbot exited with status $$rc; the end of $(BUILD)/run-daemon.log:"; \
	    tail -n 5 $(BUILD)/run-daemon.log; exit $$rc; fi

## make test: the whole suite; last line is "N passed, N failed".
test: deps
	@$(MAKE) --no-print-directory -j2 all unit-tests fuzz-build
	@$(MAKE) --no-print-directory -j2 BUILD=build-asan \
	    SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    CFLAGS="-O1 -g" all unit-tests
	@sh tests/test-all

unit-tests: $(UNIT_BIN)

fuzz-build: $(FUZZ_BIN)

## make fuzz: run every fuzzer for FUZZ_SECONDS each.
fuzz: fuzz-build
	@for f in $(FUZZ_BIN); do \
	    n=$$(basename $$f); mkdir -p build-fuzz/corpus/$$n; \
	    echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus/$$n \
	        tests/fuzz/corpus/$$n || exit 1; \
	done

## make eval: accuracy on the medical KB and CLINC150, crisis recall.
eval: all
	@sh tests/eval/run-eval

## make bench: latency, load time, RSS (figures printed, not asserted).
bench: all unit-tests
	@sh tests/bench/run-bench

## make install: binary, systemd units, example config, KB, hotlines, man
## pages under $(DESTDIR)$(PREFIX) (units under $(DESTDIR)$(UNITDIR)).
UNITDIR   ?= $(PREFIX)/lib/systemd/system
SHAREDIR   = $(PREFIX)/share/faqbot
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 0755 $(BUILD)/faqbot $(DESTDIR)$(PREFIX)/bin/faqbot
	for u in faqbot.service faqbot@.service; do \
	    sed 's|/usr/local/bin/faqbot|$(PREFIX)/bin/faqbot|' config/$$u \
	        >$(DESTDIR)$(UNITDIR)/$$u && \
	    chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	sed 's|/usr/local/share/faqbot|$(SHAREDIR)|' \
	    config/faqbot.example.json >$(DESTDIR)$(SHAREDIR)/faqbot.example.json
	chmod 0644 $(DESTDIR)$(SHAREDIR)/faqbot.example.json
	rm -rf $(DESTDIR)$(SHAREDIR)/faq
	cp -R faq $(DESTDIR)$(SHAREDIR)/faq
	chmod -R u=rwX,go=rX $(DESTDIR)$(SHAREDIR)/faq
	if [ -f config/hotlines.json ]; then install -m 0644 \
	    config/hotlines.json $(DESTDIR)$(SHAREDIR)/hotlines.json; fi
	install -d $(DESTDIR)$(SHAREDIR)/webchat
	install -m 0644 bot/webchat/index.html bot/webchat/app.js \
	    bot/webchat/style.css $(DESTDIR)$(SHAREDIR)/webchat/
	install -m 0644 bot/faqbot.1 $(DESTDIR)$(PREFIX)/share/man/man1/faqbot.1
	install -m 0644 bot/faqbot.json.5 \
	    $(DESTDIR)$(PREFIX)/share/man/man5/faqbot.json.5

clean:
	rm -rf build build-asan build-fuzz

# The web chat's installed page (config webchat.assets_dir default).
$(BUILD)/bot/webchat_config.o: CPPFLAGS += \
    -DWEBCHAT_ASSETS_DIR='"$(SHAREDIR)/webchat"'

-include $(INTENTS_OBJ:.o=.d) $(BOT_OBJ:.o=.d) $(BUILD)/bot/main.d
# the fuzz tree too: a harness compiled against an older header (a struct
# that grew) would otherwise be linked with newer library objects
-include $(wildcard build-fuzz/*/*.d build-fuzz/tests/fuzz/*.d)
