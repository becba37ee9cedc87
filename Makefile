# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# tracerhub: build with `make`, run with `make run`, test with `make test`.
# Quiet by default; `make V=1` shows every command. All output goes under $(BUILD)/.

BUILD      ?= build
CC         ?= cc
CLANG      ?= clang
BPFTOOL    ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
VMLINUX_H  ?= $(BUILD)/vmlinux.h
ARCH       := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/riscv64/riscv/')
RUN_ARGS   ?= top
PREFIX     ?= /usr/local

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# System include dirs that clang -target bpf would otherwise miss (as libbpf-bootstrap does).
CLANG_BPF_SYS_INCLUDES := $(shell $(CLANG) -v -E - </dev/null 2>&1 \
	| sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

BPF_CFLAGS := -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(ARCH) -I$(BUILD) -I$(BUILD)/gen -Isrc $(CLANG_BPF_SYS_INCLUDES)
CFLAGS     ?= -O2 -g
CFLAGS     += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	      -Wno-unused-parameter -Isrc -I$(BUILD) -I$(BUILD)/skel -I$(BUILD)/gen -MMD -MP
LDLIBS     := -lbpf -lelf -lz -lncursesw -lpthread -lsqlite3 -lcurl

TRACER_DIRS := $(sort $(wildcard src/tracers/*))
BPF_SRCS    := $(foreach d,$(TRACER_DIRS),$(wildcard $(d)/*.bpf.c))
# The hooks tracers may use: the shared table, and hooks a tracer directory alone uses.
HOOK_DEFS   := src/bpf/hooks.def $(wildcard $(addsuffix /hooks.def,$(TRACER_DIRS)))
# Every tracer's BPF side goes into one object, the hub (src/core/hub.h): one program per hook.
HUB_GEN     := $(BUILD)/gen/hub.bpf.c $(BUILD)/gen/hub_cell.h $(BUILD)/gen/hub_hooks.h $(BUILD)/gen/hub_table.c
SKELS       := $(BUILD)/skel/hub.skel.h $(BUILD)/gen/hub_hooks.h
# What each tracer directory declares about its output (DIR/DIR.def: metrics, totals, event
# layouts, recording tables, web sections), gathered for the layers that read it.
TRACER_DEFS := $(foreach d,$(TRACER_DIRS),$(wildcard $(d)/$(notdir $(d)).def))
GEN_HDRS    := $(SKELS) $(BUILD)/gen/tracer_defs.h
LIB_SRCS    := $(filter-out %.bpf.c src/main.c $(LIB_EXCLUDE),$(wildcard src/cmd/*.c src/core/*.c \
		src/model/*.c src/render/*.c src/sinks/*.c src/tui/*.c src/web/*.c src/store/*.c \
		src/query/*.c $(addsuffix /*.c,$(TRACER_DIRS))))
GEN_SRCS    := $(BUILD)/gen/syscall_names.c
LIB_OBJS    := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) $(BUILD)/obj/gen/syscall_names.o \
	       $(BUILD)/obj/gen/hub_table.o
LIB_OBJS    += $(BUILD)/obj/gen/web_assets.o
UNIT_SRCS   := $(wildcard tests/unit/test_*.c)
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPERS     := $(patsubst tests/helpers/%.c,$(BUILD)/helpers/%,$(HELPER_SRCS))

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps deps-test run test test-unit test-integration test-kernels clean bench bench-quick \
	install uninstall soak

all: $(BUILD)/tracerhub $(BUILD)/tracerhub.8 $(BUILD)/tracerhub.bash

deps:
	$(Q)scripts/deps.sh build

deps-test:
	$(Q)scripts/deps.sh test

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(BUILD)/tracerhub $(RUN_ARGS)

# The kernel matrix's kernels (tests/kernels/run.sh) that `make test` runs after the suite, when
# qemu is installed; TEST_KERNELS= leaves it out. Its cost microbenchmark needs two bench tools.
TEST_KERNELS ?= 6.1 6.12
KERNEL_TOOLS := $(BUILD)/bench/floor $(BUILD)/bench/syscall_loop

test: deps-test
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/unit_tests $(HELPERS) $(KERNEL_TOOLS)
	$(Q)BUILD=$(BUILD) TEST_KERNELS="$(TEST_KERNELS)" tests/run.sh

# The kernel matrix alone, with the host's row, and its table in docs/kernels.md.
test-kernels: deps-test
	$(Q)$(MAKE) --no-print-directory all $(HELPERS) $(KERNEL_TOOLS)
	$(Q)BUILD=$(BUILD) tests/kernels/run.sh --docs docs/kernels.md $(TEST_KERNELS) host

# The 10-minute soak of `record` (tests/soak.sh; SOAK_SECONDS to change): not in `make test`.
soak: deps-test
	$(Q)$(MAKE) --no-print-directory all $(HELPERS)
	$(Q)BUILD=$(BUILD) tests/soak.sh

bench: deps
	$(Q)scripts/deps.sh bench
	$(Q)$(MAKE) --no-print-directory all $(HELPERS) $(BENCH_TOOLS)
	$(Q)BUILD=$(BUILD) bench/run.sh

bench-quick: deps
	$(Q)scripts/deps.sh bench
	$(Q)$(MAKE) --no-print-directory all $(HELPERS) $(BENCH_TOOLS)
	$(Q)BUILD=$(BUILD) bench/run.sh --quick

$(VMLINUX_H): | $(BUILD)
	$(call msg,BTF,$@)
	$(Q)test -r $(VMLINUX_BTF) || { echo "tracerhub: $(VMLINUX_BTF) missing: this kernel has no BTF (CONFIG_DEBUG_INFO_BTF); set VMLINUX_H=path/to/vmlinux.h" >&2; exit 1; }
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@

$(BUILD) $(BUILD)/skel $(BUILD)/bpf $(BUILD)/gen $(BUILD)/helpers:
	$(Q)mkdir -p $@

# The hub's sources, generated from the hook table and the tracers' HUB_HANDLER declarations.
$(HUB_GEN) &: scripts/gen-hub.sh $(HOOK_DEFS) $(BPF_SRCS) | $(BUILD)/gen
	$(call msg,GEN,$(BUILD)/gen/hub.*)
	$(Q)scripts/gen-hub.sh $(BUILD)/gen $(HOOK_DEFS) $(BPF_SRCS)

$(BUILD)/gen/tracer_defs.h: scripts/gen-tracer-defs.sh $(TRACER_DEFS) | $(BUILD)/gen
	$(call msg,GEN,$@)
	$(Q)scripts/gen-tracer-defs.sh $@ $(TRACER_DEFS)

# BPF objects: clang, then `bpftool gen object` (static linking pass), then the skeleton.
$(BUILD)/bpf/hub.bpf.o: $(BUILD)/gen/hub.bpf.c $(BPF_SRCS) $(VMLINUX_H) \
			$(wildcard src/bpf/*.h src/tracers/*/*.h) | $(BUILD)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -I. -c $< -o $@.tmp.o
	$(Q)$(BPFTOOL) gen object $@ $@.tmp.o
	$(Q)rm -f $@.tmp.o

$(BUILD)/skel/%.skel.h: $(BUILD)/bpf/%.bpf.o | $(BUILD)/skel
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

$(BUILD)/gen/syscall_names.c: scripts/gen-syscall-table.sh | $(BUILD)/gen
	$(call msg,GEN,$@)
	$(Q)scripts/gen-syscall-table.sh $(CC) > $@

$(BUILD)/obj/%.o: %.c | $(GEN_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c | $(GEN_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/tracerhub: $(BUILD)/obj/src/main.o $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

# Unit tests: every `void test_SUITE__CASE(void)` in tests/unit is found, not listed by hand.
$(BUILD)/gen/unit_tests.h: $(UNIT_SRCS) | $(BUILD)/gen
	$(call msg,GEN,$@)
	$(Q)sed -n 's/^void \(test_[a-z0-9_]*__[a-z0-9_]*\)(void)$$/TEST(\1)/p' $(UNIT_SRCS) > $@

$(BUILD)/obj/tests/unit/main.o: $(BUILD)/gen/unit_tests.h

$(BUILD)/unit_tests: $(patsubst %.c,$(BUILD)/obj/%.o,$(UNIT_SRCS) tests/unit/main.c) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/helpers/%: tests/helpers/%.c | $(BUILD)/helpers
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -pthread $< -o $@

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

# The man page and bash completion say what the binary's -h texts say: made from them.
$(BUILD)/tracerhub.8: $(BUILD)/tracerhub scripts/gen-man.sh
	$(call msg,MAN,$@)
	$(Q)scripts/gen-man.sh $< > $@

$(BUILD)/tracerhub.bash: $(BUILD)/tracerhub scripts/gen-completion.sh
	$(call msg,GEN,$@)
	$(Q)scripts/gen-completion.sh $< > $@

# `make install PREFIX=/usr DESTDIR=pkgroot`: the binary (sbin: it needs root), its man page
# and bash completion. The binary runs alone: its web assets are built in.
install: all
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -D -m 755 $(BUILD)/tracerhub $(DESTDIR)$(PREFIX)/sbin/tracerhub
	$(Q)install -D -m 644 $(BUILD)/tracerhub.8 $(DESTDIR)$(PREFIX)/share/man/man8/tracerhub.8
	$(Q)install -D -m 644 $(BUILD)/tracerhub.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/tracerhub

uninstall:
	$(Q)rm -f $(DESTDIR)$(PREFIX)/sbin/tracerhub $(DESTDIR)$(PREFIX)/share/man/man8/tracerhub.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/tracerhub

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/obj/*/*/*.d $(BUILD)/obj/*/*/*/*.d $(BUILD)/obj/*/*/*/*/*.d)

# Tests are found by name, not declared in headers.
$(BUILD)/obj/tests/%.o: CFLAGS += -Wno-missing-prototypes

# Benchmark tools (bench/tools/*.c), built by `make bench`.
BENCH_TOOLS := $(patsubst bench/tools/%.c,$(BUILD)/bench/%,$(wildcard bench/tools/*.c))

$(BUILD)/bench/%: bench/tools/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< $(LDLIBS) -lm -o $@

# The dashboard's files, bundled into the binary (uPlot comes from npm, pinned by package-lock.json).
WEB_NPM    := web/node_modules/.tracerhub-stamp
WEB_ASSETS := web/index.html web/app.js web/style.css web/node_modules/uplot/dist/uPlot.iife.min.js \
	      web/node_modules/uplot/dist/uPlot.min.css

$(WEB_NPM): web/package.json web/package-lock.json
	$(call msg,NPM,web/node_modules)
	$(Q)cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	$(Q)touch $@

$(filter web/node_modules/%,$(WEB_ASSETS)): $(WEB_NPM)

$(BUILD)/gen/web_assets.c: web/gen-assets.sh $(WEB_ASSETS) | $(BUILD)/gen
	$(call msg,GEN,$@)
	$(Q)web/gen-assets.sh $(WEB_ASSETS) > $@

# libFuzzer targets (tests/fuzz/fuzz_NAME.c), each run FUZZ_SECONDS on its seed corpus.
FUZZ_SECONDS ?= 60
FUZZ_SRCS    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
FUZZ_LIB     := src/query/api.c src/query/prom.c src/query/request.c src/model/history.c \
		src/model/snapshot.c src/model/hist.c src/model/metric.c src/model/totals.c \
		src/sinks/json.c src/sinks/text.c src/render/json_writer.c src/render/snapshot_json.c \
		src/render/format.c src/render/escape.c src/render/event.c src/render/addr.c \
		src/tui/fmt.c src/web/http.c src/store/db.c src/store/reader.c src/store/recorder.c \
		src/store/schema.c src/store/strpool.c src/store/report.c src/store/merge.c \
		src/store/search.c src/store/fields.c src/core/log.c src/model/grow.c

.PHONY: fuzz
fuzz: $(FUZZ_BINS)
	$(Q)for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); mkdir -p $(BUILD)/fuzz/corpus-$$n; \
		echo "  FUZZ     $$n ($(FUZZ_SECONDS) s)"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(BUILD)/fuzz/corpus-$$n \
			tests/fuzz/corpus/$$n 2>$(BUILD)/fuzz/$$n.log || \
			{ tail -40 $(BUILD)/fuzz/$$n.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units' $(BUILD)/fuzz/$$n.log; \
	done

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB) $(BUILD)/gen/web_assets.c $(BUILD)/gen/tracer_defs.h
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O1 -std=gnu11 -D_GNU_SOURCE -Isrc -I$(BUILD) -I$(BUILD)/gen -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined \
		$< $(FUZZ_LIB) $(BUILD)/gen/web_assets.c -lsqlite3 -lbpf -lpthread -o $@
