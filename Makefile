# allocscope — build, test, demo.  `make V=1` for verbose commands.
#
#   make            build build/allocscope
#   make demo       build and analyze the bundled real trace
#   make test       unit (cmocka) + golden + malformed-input tests
#   make test-asan  the same, built with ASan + UBSan
#   make test-valgrind  info/events/analyze on every fixture under valgrind memcheck
#   make test-tsan  ThreadSanitizer: unit tests, every fixture with --threads 2 and zstd's thread
#   make fuzz       libFuzzer + ASan/UBSan on every parser (FUZZ_SECONDS each, default 60)
#   make test-html  the HTML report of real traces in headless Chromium
#   make deps       install missing Debian packages (apt-get)
#   make e2e        real-kernel suite: Debian 6.1 + 6.12 under qemu TCG (tests/e2e/README.md, ~25 min)
#   make e2e-arm64  the same on Debian's arm64 kernels (4 KB and 16 KB pages) under qemu-system-aarch64
#   make record-arm64  build/aarch64/allocscope-record-static, the recorder for arm64 devices
#   make bench-capture  capture overhead per mode on 6.12 + 6.1 under qemu (bench/CAPTURE.md, ~10 min)
#   make install PREFIX=/usr/local

SHELL     := /bin/bash
PREFIX    ?= /usr/local
BUILD     ?= build
CC        ?= gcc
V         ?= 0

ifeq ($(V),0)
Q   := @
say  = @printf '  %-7s %s\n' $(1) $(2);
else
Q   :=
say  =
endif

# Debian packages we build against: pkg-config name -> package.
PKGS      := libtracecmd:libtracecmd-dev libtracefs:libtracefs-dev \
             libtraceevent:libtraceevent-dev libzstd:libzstd-dev \
             libxxhash:libxxhash-dev zlib:zlib1g-dev \
             libdeflate:libdeflate-dev
TEST_PKGS := cmocka:libcmocka-dev
DEB_TOOLS := pkg-config:pkg-config trace-cmd:trace-cmd zstd:zstd protoc:protobuf-compiler
# the JSON Schema check (tests/golden/schema.sh) and the browser test (make test-html)
PY_MODS   := jsonschema:python3-jsonschema google.protobuf:python3-protobuf
HTML_TOOLS := chromium:chromium

pc_names   = $(foreach p,$(1),$(firstword $(subst :, ,$(p))))
pc_missing = $(strip $(foreach p,$(1),$(if $(shell pkg-config --exists $(firstword $(subst :, ,$(p))) 2>/dev/null && echo y),,$(p))))

CFLAGS_BASE := -std=gnu11 -O2 -g -Wall -Wextra -Wshadow -Wno-unused-parameter \
               -Wstrict-prototypes -Wmissing-prototypes -fno-strict-aliasing \
               -D_GNU_SOURCE -pthread -MMD -MP
SAN       ?=
ifeq ($(SAN),1)
BUILD     := build-asan
CFLAGS_BASE += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
endif
ifeq ($(SAN),thread)
BUILD     := build-tsan
CFLAGS_BASE += -O1 -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS   += -fsanitize=thread
endif
# make fuzz: clang, libFuzzer instrumentation, ASan + UBSan, its own build dir
FUZZ      ?=
ifeq ($(FUZZ),1)
BUILD     := build-fuzz
CC        := clang
CFLAGS_BASE += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
endif
FUZZ_SECONDS ?= 60

# Only probe pkg-config for targets that compile.
NEEDS_LIBS := $(filter-out deps clean help,$(or $(MAKECMDGOALS),all))
ifneq ($(NEEDS_LIBS),)
LIB_CFLAGS := $(shell pkg-config --cflags $(call pc_names,$(PKGS)) 2>/dev/null)
LIB_LIBS   := $(shell pkg-config --libs $(call pc_names,$(PKGS)) 2>/dev/null) -lm -pthread
endif

CFLAGS    += $(CFLAGS_BASE) $(LIB_CFLAGS) -I. -Iparsers -Ianalyzer -Ireports -Icapture

MODULES   := parsers analyzer reports capture
LIB_SRCS  := $(foreach m,$(MODULES),$(wildcard $(m)/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_SRCS  := $(wildcard cli/*.c)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
LIB       := $(BUILD)/liballocscope.a
BIN       := $(BUILD)/allocscope

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

# tests/fuzz/fuzz_NAME.c: a libFuzzer target; with driver.c, a replay of tests/corpus/NAME/
FUZZ_SRCS   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES  := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
FUZZ_BINS   := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)

MAN_PAGES := $(wildcard docs/man/*.1)

# The bundled sample: `allocscope record -m graph` on Debian's 6.12 cloud kernel under qemu (anon
# pressure, zram swap), made by `make sample` with the e2e suite; it carries its own vmstat/kswapd
# snapshots, so analyze checks itself against the kernel with no extra files.
DEMO_TRACE := tests/data/sample-6.12-anon-graph.dat

.PHONY: deps-html test-html
.PHONY: all demo test test-unit test-golden test-malformed test-asan test-tsan deps check-deps \
        install clean golden-update help bench bench-capture fuzz e2e e2e-ci e2e-arm64 sample test-bins fuzz-bins \
        test-valgrind

all: check-deps $(BIN)

check-deps:
	@missing="$(call pc_missing,$(PKGS))"; \
	if [ -n "$$missing" ]; then \
	  echo "allocscope: missing build dependencies (pkg-config could not find them):" >&2; \
	  for p in $$missing; do echo "  $${p%%:*}  -> apt-get install $${p##*:}" >&2; done; \
	  echo "run 'make deps' to install them" >&2; exit 1; fi

deps:
	@need=""; \
	command -v pkg-config >/dev/null || need="$$need pkg-config"; \
	for p in $(PKGS) $(TEST_PKGS); do \
	  pkg-config --exists $${p%%:*} 2>/dev/null || need="$$need $${p##*:}"; done; \
	for t in $(DEB_TOOLS) $(DEPS_EXTRA); do \
	  command -v $${t%%:*} >/dev/null || need="$$need $${t##*:}"; done; \
	for m in $(PY_MODS); do \
	  /usr/bin/python3 -c "import $${m%%:*}" 2>/dev/null || need="$$need $${m##*:}"; done; \
	need=$$(echo $$need | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	if [ -z "$${need// }" ]; then echo "deps: all present"; exit 0; fi; \
	echo "deps: installing$$need"; \
	SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	$$SUDO apt-get install -y --no-install-recommends $$need || \
	  { $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends $$need; }

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(call say,AR,$@)rm -f $@ && ar qcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LIB_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB) $(LIB_LIBS) -lcmocka

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $< tests/fuzz/driver.c $(LIB) $(LIB_LIBS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CFLAGS) -fsanitize=fuzzer -Itests/fuzz $(LDFLAGS) -o $@ $< $(LIB) $(LIB_LIBS)

test-bins: $(BIN) $(UNIT_BINS) $(FUZZ_REPLAY)
fuzz-bins: $(FUZZ_BINS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(BIN) analyze $(DEMO_TRACE)

# The test run prints one closing line: "TESTS: PASS (...)" or "TESTS: FAIL (...)".
test: deps
	$(Q)$(MAKE) --no-print-directory all test-bins
	$(Q)BUILD=$(BUILD) tests/run.sh

test-unit: all $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) tests/run.sh unit

test-golden: all
	$(Q)BUILD=$(BUILD) tests/run.sh golden

test-malformed: all
	$(Q)BUILD=$(BUILD) tests/run.sh malformed

golden-update: all
	$(Q)BUILD=$(BUILD) tests/run.sh golden-update

# not "all": the static recorder cannot link with the sanitizers' runtimes
test-asan: deps
	$(Q)$(MAKE) --no-print-directory SAN=1 check-deps test-bins
	$(Q)BUILD=build-asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run.sh

# the code that runs threads (--threads 2, zstd text's decompression thread) under ThreadSanitizer
test-tsan: deps
	$(Q)$(MAKE) --no-print-directory SAN=thread check-deps test-bins
	$(Q)BUILD=build-tsan tests/run.sh tsan

# Chromium is large: only this target installs it (CI runs it, .ci/run)
deps-html:
	$(Q)$(MAKE) --no-print-directory deps DEPS_EXTRA="$(HTML_TOOLS)"

test-html: deps-html
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) tests/html/run.sh

test-valgrind: all
	$(Q)BUILD=$(BUILD) tests/run.sh valgrind

# FUZZ_TARGETS="tracedat fgraph" to run some; crashes land in build-fuzz/artifacts/NAME/
fuzz: deps
	$(Q)$(MAKE) --no-print-directory FUZZ=1 fuzz-bins
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(or $(FUZZ_TARGETS),$(FUZZ_NAMES))

bench: all
	$(Q)BUILD=$(BUILD) bench/bench.sh

# what recording costs a page-fault-heavy workload, per mode, on Debian's 6.12 and 6.1 cloud kernels under
# qemu (issue 4; bench/capture-overhead.sh, results in bench/CAPTURE.md; about 10 min once the kernels are
# cached). BENCH_CAPTURE_ARGS='-k 6.12 -r 3' for another set, '-R bench/CAPTURE-table.md' to keep the table.
BENCH_CAPTURE_ARGS ?=
bench-capture:
	$(Q)$(MAKE) --no-print-directory deps DEPS_EXTRA="$(E2E_TOOLS)"
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) bench/capture-overhead.sh $(BENCH_CAPTURE_ARGS)

# the real-kernel end-to-end suite (issue 5, tests/e2e/README.md): boots Debian's 6.1 and 6.12 cloud kernels
# under qemu TCG, records with our recorders, checks analyze --json against the kernel's counters.
# E2E_ARGS='-k 6.12 -s anon' for a subset, '-R tests/e2e/RESULTS.md' to rewrite the result table.
E2E_TOOLS := qemu-system-x86_64:qemu-system-x86 busybox:busybox-static mkfs.ext4:e2fsprogs \
             debugfs:e2fsprogs xz:xz-utils python3:python3
e2e:
	$(Q)$(MAKE) --no-print-directory deps DEPS_EXTRA="$(E2E_TOOLS)"
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) tests/e2e/e2e.sh $(E2E_ARGS)

# What .ci/run runs: the 6.12 kernel, four scenarios (about 4 min of TCG once the kernel is cached);
# the whole suite (6.1 and 6.12, five scenarios, trace-cmd) is `make e2e`. Then one arm64 boot: Debian's
# 6.12 with 16 KB pages under qemu-system-aarch64, the calm scenario, the C recorder and the shell recorder
# under mksh + toybox, graph and retprobe twice (graph~retprobe), freelist once, a SIGINT stop (E2E_ARM64_CI_CAPS;
# tests/e2e/README.md gives its cost); the whole arm64 suite is `make e2e-arm64`.
E2E_CI_ARGS := -k 6.12 -s "anon thp calm oom"
E2E_ARM64_CI_CAPS := as-graph,as-retprobe,as-freelist,mk-auto,as-graph,as-retprobe,stop-mk-int-retprobe
e2e-ci:
	$(Q)$(MAKE) --no-print-directory e2e E2E_ARGS='$(E2E_CI_ARGS)'
	$(Q)E2E_CAPS=$(E2E_ARM64_CI_CAPS) $(MAKE) --no-print-directory e2e-arm64 \
	  E2E_ARM64_ARGS='-k 6.12-arm64-16k -s calm'

# The same suite on Debian's arm64 kernels under qemu-system-aarch64 (TCG, -machine virt -cpu max, 2 vCPUs):
# 6.1 cloud, 6.12 and 6.12 with 16 KB pages; the static recorder cross-built (make record-arm64), the shell
# recorder under Android's mksh + toybox and under busybox sh (issue 18; tests/e2e/README.md, results in
# tests/e2e/RESULTS.md). E2E_ARGS='-k 6.12-arm64-16k -s anon' for a subset.
E2E_ARM64_TOOLS := qemu-system-aarch64:qemu-system-arm aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu
E2E_ARM64_ARGS  := -k "6.1-arm64 6.12-arm64 6.12-arm64-16k" -s "anon pagecache thp calm oom proactive"
e2e-arm64:
	$(Q)$(MAKE) --no-print-directory deps DEPS_EXTRA="$(E2E_TOOLS) $(E2E_ARM64_TOOLS)"
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory record-arm64
	$(Q)BUILD=$(BUILD) tests/e2e/e2e.sh $(E2E_ARM64_ARGS) $(E2E_ARGS)

# Regenerate the bundled sample from a fresh 6.12 anon run of the e2e suite.
sample:
	$(Q)$(MAKE) --no-print-directory e2e E2E_ARGS='-k 6.12 -s anon'
	cp build/e2e/runs/e2e-6.12-anon/e2e-6.12-anon/1-as-graph.dat $(DEMO_TRACE)
	$(BIN) info $(DEMO_TRACE)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/allocscope
	$(if $(MAN_PAGES),install -m 0644 $(MAN_PAGES) $(DESTDIR)$(PREFIX)/share/man/man1/)

clean:
	rm -rf build build-asan build-fuzz build-tsan

help:
	@sed -n '2,16p' Makefile | sed 's/^# \{0,1\}//'

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d)

# ---- recorder for targets (allocscope record, issue 4) ----------------------
# build/allocscope-record-static: the record side only: capture/ (probe, session,
# snapshots, trace.dat writer and the recording loop cap_record()) plus the
# record command's front end (cli/cmd-record.c: options, messages, summary;
# cli/util.c: cli_error and the number parsers) and its main (cli/static/),
# libtracefs, libtraceevent and libzstd linked statically: one file to push to a
# device or into a guest initramfs.  The shell recorder needs nothing at all.
REC_STATIC      := $(BUILD)/allocscope-record-static
REC_OBJS        := $(BUILD)/obj/cli/static/record-main.o $(BUILD)/obj/cli/cmd-record.o \
                   $(BUILD)/obj/cli/util.o $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard capture/*.c))
REC_STATIC_LIBS := -ltracefs -ltraceevent -lzstd -lm -ldl

all: $(REC_STATIC)

$(REC_STATIC): $(REC_OBJS)
	$(call say,LD,$@)$(CC) -static $(LDFLAGS) -o $@ $(REC_OBJS) $(REC_STATIC_LIBS) 2>$@.log || \
	  { cat $@.log >&2; echo "static recorder: needs libtracefs.a libtraceevent.a libzstd.a (libtracefs-dev libtraceevent-dev libzstd-dev)" >&2; exit 1; }

install: install-record
install-record: $(REC_STATIC)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/allocscope
	install -m 0755 $(REC_STATIC) $(DESTDIR)$(PREFIX)/bin/allocscope-record-static
	install -m 0755 capture/allocscope-record.sh $(DESTDIR)$(PREFIX)/share/allocscope/allocscope-record.sh
.PHONY: install-record

-include $(REC_OBJS:.o=.d)

# ---- the static recorder for arm64 (issue 18) --------------------------------
# build/aarch64/allocscope-record-static: the same objects as above, cross-built
# with gcc-aarch64-linux-gnu against Debian's arm64 libtracefs-dev,
# libtraceevent-dev and libzstd-dev, unpacked into build/aarch64/sysroot (the
# packages come from a private APT state for arm64, cli/static/apt-foreign.sh;
# the host's apt configuration is not changed).  One file to `adb push`.
A64_CC      ?= aarch64-linux-gnu-gcc
A64_DIR     := build/aarch64
A64_SYSROOT := $(A64_DIR)/sysroot
A64_DEBS    := libtracefs-dev libtracefs1 libtraceevent-dev libtraceevent1 libzstd-dev libzstd1
A64_TOOLS   := aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu dpkg-deb:dpkg

record-arm64:
	$(Q)$(MAKE) --no-print-directory deps DEPS_EXTRA="$(A64_TOOLS)"
	$(Q)$(MAKE) --no-print-directory $(A64_SYSROOT)/.done
	$(Q)$(MAKE) --no-print-directory BUILD=$(A64_DIR) CC=$(A64_CC) \
	  LIB_CFLAGS="-I$(A64_SYSROOT)/usr/include/tracefs -I$(A64_SYSROOT)/usr/include/traceevent -I$(A64_SYSROOT)/usr/include" \
	  LDFLAGS="-L$(A64_SYSROOT)/usr/lib/aarch64-linux-gnu" $(A64_DIR)/allocscope-record-static
	$(Q)file $(A64_DIR)/allocscope-record-static

$(A64_SYSROOT)/.done: cli/static/apt-foreign.sh
	$(call say,APT,arm64-sysroot)cli/static/apt-foreign.sh arm64 $(A64_DIR) download $(A64_DEBS)
	$(Q)rm -rf $(A64_SYSROOT) && mkdir -p $(A64_SYSROOT) && \
	  for p in $(A64_DEBS); do dpkg-deb -x $$(ls $(A64_DIR)/debs/$${p}_*_arm64.deb | head -1) $(A64_SYSROOT) || exit 1; done
	$(Q)touch $@
.PHONY: record-arm64
