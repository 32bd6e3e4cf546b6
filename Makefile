# lakehouse — build with `make`, test with `make test`.
#   make SAN=1 test   builds into build-san/ with AddressSanitizer+UBSan
#   make fuzz         builds the libFuzzer targets (clang)
CC      ?= cc
SAN     ?= 0
BUILD   ?= $(if $(filter 1,$(SAN)),build-san,build)
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Isrc
ifeq ($(SAN),1)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
LIBS    = -lpcre2-8 -ljansson -lsqlite3 -lreadline -lcrypto -lsnappy -lzstd -lz -lm -lpthread -ldl

EXCLUDE ?=
LIB_SRC  = $(filter-out $(EXCLUDE),$(sort $(wildcard src/util/*.c src/store/*.c src/catalog/*.c src/formats/*.c src/sql/*.c src/plan/*.c src/functions/*.c src/exec/*.c src/pipeline/*.c)))
CLI_SRC  = $(filter-out $(EXCLUDE),$(sort $(wildcard src/cli/*.c)))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test unit e2e clean fuzz
all: $(BUILD)/lakehouse

$(BUILD)/%.o: %.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/liblakehouse.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/lakehouse: $(CLI_OBJ) $(BUILD)/liblakehouse.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/liblakehouse.a $(LIBS)

# outside test data: $LAKEHOUSE_TEST_DATA at run time, else ../shared beside the repository
TEST_DATA_DEFAULT = $(abspath $(CURDIR)/../shared)
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liblakehouse.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DLH_TEST_DATA_DEFAULT='"$(TEST_DATA_DEFAULT)"' $(LDFLAGS) -o $@ $< $(BUILD)/liblakehouse.a $(LIBS) -lcmocka

# micro-benchmark of the executor's kernels (prints figures; not a test)
$(BUILD)/bench/kernels: bench/kernels.c $(BUILD)/liblakehouse.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/liblakehouse.a $(LIBS)

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do echo "== $$t"; $$t || fail=1; done; exit $$fail

e2e: $(BUILD)/lakehouse
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp LAKEHOUSE_BIN=$(CURDIR)/$(BUILD)/lakehouse bash tests/e2e/run.sh

test: unit e2e

clean:
	rm -rf build build-san build-fuzz
