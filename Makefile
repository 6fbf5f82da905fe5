# headroom - the only build entry.
#
#   make                 build ./headroom
#   make test            install missing packages, build, run every test
#   make SANITIZE=1 test the same under ASan+UBSan (objects in build/san)
#   make demo            agent -> local TLS Mosquitto, decoded reports live
#   make deps            install missing Debian packages (tools/deps.sh)
#   make WERROR=1 ...    warnings are errors (CI sets this)
#   make CROSS=aarch64-linux-gnu   cross-compile with <triplet>-gcc

CROSS    ?=
# Debian's python3 (with python3-cbor2), not whatever is first on PATH
PYTHON   ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
ifneq ($(CROSS),)
CC       := $(CROSS)-gcc
PKG_CONFIG ?= $(CROSS)-pkg-config
endif
CC       ?= cc
PKG_CONFIG ?= pkg-config
PREFIX   ?= /usr/local
DESTDIR  ?=

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wcast-qual -Wpointer-arith -Wformat=2 -Wundef -Wvla \
            -Wwrite-strings -Wold-style-definition -Wmissing-declarations \
            -Wredundant-decls -Wnull-dereference -Wdouble-promotion \
            -Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARN     += -Werror
endif
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) -I. -MMD -MP
LDLIBS   += $(shell $(PKG_CONFIG) --libs libcbor 2>/dev/null || echo -lcbor) \
            $(shell $(PKG_CONFIG) --libs inih 2>/dev/null || echo -linih) \
            $(shell $(PKG_CONFIG) --libs libmosquitto 2>/dev/null || \
                echo -lmosquitto) \
            -lmbedtls -lmbedx509 -lmbedcrypto -lm

ifeq ($(SANITIZE),1)
BUILD    ?= build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
ALL_CFLAGS += $(SANFLAGS)
LDFLAGS  += $(SANFLAGS)
else
BUILD    ?= build/$(if $(CROSS),$(CROSS),native)
endif

BIN      := $(if $(or $(filter 1,$(SANITIZE)),$(CROSS)),$(BUILD)/headroom,headroom)

# The agent's code, without the entry point (tests link this).
CORE_SRC := platform/scan.c platform/procfs.c platform/sysfs.c \
            platform/linux.c platform/collect.c platform/log.c \
            platform/net.c platform/files.c platform/queue.c \
            agent/err.c agent/names.c agent/rate.c agent/metrics.c \
            agent/units.c agent/json.c agent/show.c agent/cmd_sample.c \
            agent/ident.c agent/series.c agent/agg.c agent/senml.c \
            agent/decode.c agent/cmd_decode.c \
            agent/conf.c agent/cmd_conf.c \
            agent/tls.c agent/mqtt.c agent/link.c agent/spool.c \
            agent/outbox.c agent/cmd_run.c agent/forecast.c \
            agent/indicators.c agent/watch.c \
            agent/anomaly.c agent/cmd_detect.c
MAIN_SRC := agent/main.c
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(BUILD)/%.o)

TEST_NAMES := test_scan test_procfs test_sysfs test_rate test_metrics \
              test_units test_json test_fixtures test_noalloc test_senml \
              test_net test_spool test_forecast test_queue \
              test_indicators test_watch test_anomaly
TEST_BINS  := $(TEST_NAMES:%=$(BUILD)/tests/%)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

.PHONY: all deps test check demo clean install tests bench memcheck fuzz eval
# keep test objects between builds
.SECONDARY:
all: $(BIN)

$(BIN): $(CORE_OBJ) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS)

# The allocation-counting test wraps the allocator for our own objects;
# outside sanitizer builds it also interposes glibc's malloc so that
# allocations made inside libc on our behalf are counted too.
NOALLOC_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
$(BUILD)/tests/test_noalloc: $(BUILD)/tests/test_noalloc.o $(CORE_OBJ)
	$(CC) $(LDFLAGS) $(NOALLOC_WRAP) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS)
$(BUILD)/tests/test_noalloc.o: ALL_CFLAGS += $(if $(filter 1,$(SANITIZE)),-DHR_NOALLOC_WRAP_ONLY)

tests: $(BIN) $(TEST_BINS)

deps:
	@sh tools/deps.sh all

# Every test, then the runner's summary line last.
test: deps
	@$(MAKE) --no-print-directory tests
	@HR_BIN=$(abspath $(BIN)) HR_TEST_DIR=$(abspath $(BUILD)/tests) \
	    sh tests/run.sh $(TEST_BINS)

check: test

# The README's first command: a throwaway CA, a local Mosquitto with a TLS
# listener on loopback, the agent publishing to it, decoded reports live
# until Ctrl-C; everything started is stopped again (tools/demo).
demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	@sh tools/demo ./$(BIN)

$(BUILD)/tools/bench_%: $(BUILD)/tools/bench_%.o $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Benchmarks print figures; they assert nothing (budgets: docs/performance.md).
bench: $(BIN) $(BUILD)/tools/bench_sample $(BUILD)/tools/bench_report \
    $(BUILD)/tools/bench_spool $(BUILD)/tools/alloc-count.so \
    $(BUILD)/tools/bench_anomaly
	$(BUILD)/tools/bench_anomaly 2000000 64
	$(BUILD)/tools/bench_sample tests/fixtures/reference 20000
	$(BUILD)/tools/bench_sample / 5000
	$(BUILD)/tools/bench_report tests/fixtures/reference edge-042 build/busy.cbor
	@$(PYTHON) tools/report-size build/busy.cbor
	$(BUILD)/tools/bench_spool build/bench-spool 20000 1500
	sh tools/bench-agent ./$(BIN) $(BUILD)/tools/alloc-count.so
	sh tools/bench-outage ./$(BIN)

# The anomaly detector over the labelled NAB development series, scored
# by tools/nab-score (docs/anomaly.md).  The data is read where it lies
# (NAB_DATA), never copied into the tree.
NAB_DATA ?= ../shared/data/nab-dev
eval: $(BIN)
	@test -f $(NAB_DATA)/windows.json || \
	    { echo "eval: no $(NAB_DATA)/windows.json (set NAB_DATA)"; exit 2; }
	sh tools/nab-eval ./$(BIN) $(NAB_DATA) build/eval --json build/eval.json
	@echo "--- every row with a score at the flag threshold (0.93) a detection:"
	@$(PYTHON) tools/nab-score --windows $(NAB_DATA)/windows.json \
	    --threshold 0.93 build/eval | sed -n "2,5p"

# LD_PRELOAD allocation counter for tools/bench-agent (never in the agent)
$(BUILD)/tools/alloc-count.so: tools/alloc-count.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -fPIC -shared -o $@ $< -ldl

# valgrind: the agent on recorded hosts and the unit tests, no errors or leaks.
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect
memcheck: deps $(BIN) $(TEST_BINS)
	@for r in reference smallboard-t0 container damaged sparse; do \
	    echo "memcheck: sample --root tests/fixtures/$$r"; \
	    $(VALGRIND) ./$(BIN) sample --root tests/fixtures/$$r --count 3 \
	        --period 10ms --format json >/dev/null 2>build/memcheck.log || \
	        { cat build/memcheck.log; exit 1; }; \
	done
	@for t in $(filter-out %/test_noalloc,$(TEST_BINS)); do \
	    echo "memcheck: $$t"; \
	    $(VALGRIND) $$t >build/memcheck.log 2>&1 || \
	        { cat build/memcheck.log; exit 1; }; \
	done
	@echo "memcheck: headroom run (outage with a file spool, restart)"
	@sh tools/memcheck-agent ./$(BIN) $(VALGRIND)
	@echo "memcheck: clean"

# libFuzzer on the SenML decoder for a bounded time (docs/fuzzing.md).
FUZZ_SECONDS ?= 60
fuzz: deps
	@$(MAKE) --no-print-directory headroom
	tools/fuzz.sh $(FUZZ_SECONDS)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/headroom

clean:
	rm -rf build headroom

-include $(shell find build -name '*.d' 2>/dev/null)
