# xlb: build, test, demo. `make V=1` shows the commands.
BUILD    := build
CLANG    ?= clang
CC       ?= gcc
BPFTOOL  ?= bpftool
ARCH_INC := /usr/include/$(shell $(CC) -dumpmachine)

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -Wall -Wextra -Werror \
	-Wno-unused-parameter -Iinclude -I$(ARCH_INC) -MMD -MP
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -Iagent -I$(BUILD) -MMD -MP
LDLIBS   := -lxdp -lbpf -lelf -lz

BPF_PROGS := xlb xlb_gc
BPF_OBJS  := $(BPF_PROGS:%=$(BUILD)/%.bpf.o)
SKELS     := $(BPF_PROGS:%=$(BUILD)/%.skel.h)
AGENT_SRC := $(wildcard agent/*.c)
AGENT_OBJ := $(AGENT_SRC:agent/%.c=$(BUILD)/agent/%.o)
LIB_OBJ   := $(filter-out $(BUILD)/agent/main.o,$(AGENT_OBJ))

.PHONY: all deps test demo clean vmtest bench test-compose fuzz
.SECONDARY:
all: $(BUILD)/xlb

$(BUILD)/%.bpf.o: bpf/%.bpf.c | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst .bpf.o,,$(notdir $<))_bpf > $@.tmp && mv $@.tmp $@

$(BUILD)/agent/%.o: agent/%.c $(SKELS) | $(BUILD)/agent
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/xlb: $(AGENT_OBJ)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD) $(BUILD)/agent $(BUILD)/tests:
	$(Q)mkdir -p $@

# Tests: C programs built against the agent's own code and headers.
$(BUILD)/tests/test_config: tests/unit/test_config.c $(filter $(BUILD)/agent/config%.o,$(AGENT_OBJ)) | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^

$(BUILD)/tests/test_bpf: $(wildcard tests/bpf/*.c) $(LIB_OBJ) | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/bpf -o $@ $^ $(LDLIBS)

# The fuzz harness: tests/fuzz/ with tests/bpf's fixture and packet code.
$(BUILD)/tests/fuzz_xdp: $(wildcard tests/fuzz/*.c) tests/bpf/fixture.c tests/bpf/loadobj.c \
		tests/bpf/pkt.c $(LIB_OBJ) | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/bpf -Itests/fuzz -o $@ $^ $(LDLIBS)

deps:
	$(Q)./tests/deps.sh

test: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/tests/test_config $(BUILD)/tests/test_bpf \
		$(BUILD)/tests/fuzz_xdp $(BENCH_BIN)
	$(Q)./tests/run.sh

# The long fuzz run (make test runs 100k packets): make fuzz
# [FUZZ_PACKETS=N] [FUZZ_SEED=S].
FUZZ_PACKETS ?= 5000000
fuzz: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/tests/fuzz_xdp
	$(Q)./tests/fuzz/run.sh $(FUZZ_PACKETS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./tests/demo.sh

# Benchmarks (tests/bench/): make bench [PART=xdp,e2e,udp,scale,tutorial
# or 1..5] [QUICK=1]. Results under build/bench-results/.
BENCH_BIN := $(BUILD)/tests/bench_xdp $(BUILD)/tests/bench_fill \
	$(BUILD)/tests/udpflood
$(BUILD)/xlb_bench.bpf.o: BPF_CFLAGS += -Itests/bench

$(BUILD)/tests/bench_xdp: tests/bench/bench_xdp.c tests/bench/bench_cases.c \
		tests/bench/fill.c tests/bpf/pkt.c tests/bpf/loadobj.c \
		$(BUILD)/xlb_bench.skel.h | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/bench -Itests/bpf -o $@ $(filter %.c,$^) $(LDLIBS)

$(BUILD)/tests/bench_fill: tests/bench/bench_fill.c tests/bench/fill.c | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/bench -o $@ $^ $(LDLIBS)

$(BUILD)/tests/udpflood: tests/bench/udpflood.c | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^

bench: deps
	$(Q)./tests/bench/deps.sh
	$(Q)$(MAKE) --no-print-directory all $(BENCH_BIN)
	$(Q)PART="$(PART)" QUICK="$(QUICK)" ./tests/bench/run.sh

# Other kernels under QEMU (vmtest/kernels.list); see vmtest/README.md.
vmtest: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/tests/test_bpf
	$(Q)./vmtest/run.sh

# compose/docker-compose.yml under podman-compose, from a local base image
# (no registry); see compose/README.md.
test-compose: deps
	$(Q)./tests/compose/test.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
