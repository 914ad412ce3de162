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

.PHONY: all deps test demo clean vmtest test-compose
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

deps:
	$(Q)./tests/deps.sh

test: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/tests/test_config $(BUILD)/tests/test_bpf
	$(Q)./tests/run.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./tests/demo.sh

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
