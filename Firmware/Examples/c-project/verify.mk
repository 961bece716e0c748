# What Scripts/verify-c runs: the example firmware (Makefile) on every board
# for every model below, compared with the host bit for bit by
#
#   tinynn verify MODEL --firmware-output OUTPUT --data ... --validation-split F --seed S
#
# then the negative checks, then the table (one row per board and model).
# Everything goes to $(WORK). Make's timestamps are the cache: a model is
# trained again only when the tinynn binary changed; tinynn firmware lib (Scripts/build-lib) keys
# its libraries by content; the gcc builds are the example Makefile's. With SWIFT=1 the table adds the Swift-built
# inference firmware's instructions per inference (Scripts/run-firmware
# BOARD bench --icount on the same model), which builds that firmware.
#
#   make -f verify.mk -j2 TINYNN_CLI=.build/release/tinynn [BOARDS="mps2-an386 riscv32"] [SWIFT=1]

ROOT       := $(abspath ../../..)
WORK       ?= $(ROOT)/.build/c-project
TINYNN_CLI ?= $(ROOT)/.build/release/tinynn
# A target is a board of Firmware/Boards, or BOARD-softfp: its library built
# with --float-abi softfp and the example with -mfloat-abi=softfp.
BOARDS     ?= mps2-an386 mps2-an386-softfp microbit riscv32
MODELS     := digits wine3 digits8
SWIFT      ?= 0
M          := $(WORK)/models

# The models: two shapes, two data sets (one with its label first), with and
# without input scaling. The test vectors are the rows each training held out.
digits_DATA  := --data $(ROOT)/Data/digits/digits.csv --validation-split 0.2 --seed 1
digits_SHAPE := [64,32,10]
digits_TRAIN := --layers 64,32,10 --activations sigmoid,softmax --scale none --epochs 10
wine3_DATA   := --data $(ROOT)/Data/wine3/wine3.csv --label-column class --validation-split 0.2 --seed 5
wine3_SHAPE  := [13,16,8,3]
wine3_TRAIN  := --layers 13,16,8,3 --activations tanh,relu,softmax --scale standard --epochs 30

# int8 (tinynn quantize): digits [64,32,10] ReLU/softmax, calibrated on
# digits.csv, through tinynn_int8_predict; its vectors are int8
# (tinynn vectors --model), its outputs integers.
digits8-float_DATA  := --data $(ROOT)/Data/digits/digits.csv --validation-split 0.2 --seed 4
digits8-float_TRAIN := --layers 64,32,10 --activations relu,softmax --epochs 10
digits8_DATA  := $(digits8-float_DATA)
digits8_SHAPE := [64,32,10]i8

.PHONY: all negative negative-abi negative-int8 table FORCE
.DELETE_ON_ERROR:
.SECONDARY:
all: table

$(M)/%.tnn: $(TINYNN_CLI)
	@mkdir -p $(M)
	$(TINYNN_CLI) train $($*_DATA) $($*_TRAIN) --output $@ >$@.log 2>&1 || { cat $@.log; exit 1; }
$(M)/digits8.tnn: $(M)/digits8-float.tnn
	$(TINYNN_CLI) quantize $< --data $(ROOT)/Data/digits/digits.csv --output $@ >$@.log 2>&1 || { cat $@.log; exit 1; }
# The pair (tinynn export --c) and the held-out rows as test vectors (int8
# ones for an int8 model: --model decides) with the lines the firmware must print.
$(M)/%.c $(M)/%.h: $(M)/%.tnn
	$(TINYNN_CLI) export $< --c $(M)/$* >/dev/null
$(M)/%-vectors.h: $(M)/%.tnn
	$(TINYNN_CLI) vectors $($*_DATA) --model $< --expected $(M)/$*-expected.txt --header $@ >/dev/null

board_of = $(patsubst %-softfp,%,$(1))
abi_of = $(if $(filter %-softfp,$(1)),softfp)

# One target's library (cached by content in .build/lib/cache): libtinynn-TARGET.a.
define board
$(WORK)/$(1)/lib/libtinynn-$(1).a: FORCE
	$(TINYNN_CLI) firmware lib $(call board_of,$(1)) $(if $(call abi_of,$(1)),--float-abi softfp) --output $(WORK)/$(1)/lib -q >/dev/null
endef

# One board and model: build (make), one-copy, run under QEMU, compare; a
# row of the table in $(WORK)/BOARD/MODEL.row. Run every time (the builds
# are cached; the runs take seconds).
define run
$(WORK)/$(1)/$(2).row: FORCE $(WORK)/$(1)/lib/libtinynn-$(1).a $(M)/$(2).c $(M)/$(2).h $(M)/$(2)-vectors.h
	@$(MAKE) -s --no-print-directory BOARD=$(call board_of,$(1)) FLOAT_ABI=$(call abi_of,$(1)) MODEL=$(M)/$(2) VECTORS=$(M)/$(2)-vectors.h LIB=$(WORK)/$(1)/lib \
	    OUT=$(WORK)/$(1)/$(2) all one-copy >$(WORK)/$(1)/$(2).build 2>&1 || { cat $(WORK)/$(1)/$(2).build; exit 1; }
	@$(MAKE) -s --no-print-directory BOARD=$(call board_of,$(1)) FLOAT_ABI=$(call abi_of,$(1)) MODEL=$(M)/$(2) VECTORS=$(M)/$(2)-vectors.h LIB=$(WORK)/$(1)/lib \
	    OUT=$(WORK)/$(1)/$(2) run >$(WORK)/$(1)/$(2).txt 2>&1 || { tail -3 $(WORK)/$(1)/$(2).txt; exit 1; }
	@$(TINYNN_CLI) verify $(M)/$(2).tnn --firmware-output $(WORK)/$(1)/$(2).txt $($(2)_DATA) \
	    >$(WORK)/$(1)/$(2).verify 2>&1 || { cat $(WORK)/$(1)/$(2).verify; exit 1; }
	@swift=n/a; if [ $(SWIFT) = 1 ] && [ -z "$(call abi_of,$(1))" ] && [ $(2) != digits8 ]; then \
	    $(ROOT)/Scripts/run-firmware $(1) bench --icount --model $(M)/$(2).tnn --vectors $(M)/$(2)-vectors.h \
	        >$(WORK)/$(1)/$(2).bench 2>&1 || { tail -3 $(WORK)/$(1)/$(2).bench; exit 1; }; \
	    swift=$$$$(awk '$$$$1 == "inference" && $$$$2 == "runs" { printf "%.0f", $$$$5 * $$$$7 / 1000 / $$$$3 }' $(WORK)/$(1)/$(2).bench); fi; \
	awk -v board=$(1) -v model=$(2) -v swift=$$$$swift \
	    -v flash=$$$$($(if $(filter riscv%,$(1)),riscv64-unknown-elf,arm-none-eabi)-size $(WORK)/$(1)/$(2)/firmware.elf | awk 'NR == 2 { print $$$$1 + $$$$2 }') \
	    -v shape=$($(2)_SHAPE) \
	    'NR == FNR && $$$$1 ~ /^$(2).txt$$$$/ { equal = $$$$4; rows = $$$$2 } \
	     NR != FNR && $$$$1 == "instructions" { gcc = $$$$4 } \
	     END { printf "%-17s %-7s %-14s %-6s %5s %8s %10s %12s\n", board, model, shape, equal, rows, flash, gcc, swift }' \
	    $(WORK)/$(1)/$(2).verify $(WORK)/$(1)/$(2).txt >$$@
endef

FORCE:
$(foreach b,$(BOARDS),$(eval $(call board,$(b)))$(foreach m,$(MODELS),$(eval $(call run,$(b),$(m)))))

ROWS := $(foreach b,$(BOARDS),$(foreach m,$(MODELS),$(WORK)/$(b)/$(m).row))

# A flipped bit in a firmware's output (the lowest of row 3's first output),
# and another model's output, are refused. On mps2-an386: a softfp project
# does not link with the hard-float library (tinynn.h's ABI-named call).
FIRST := $(firstword $(BOARDS))
negative: $(WORK)/$(FIRST)/digits.row $(WORK)/$(FIRST)/wine3.row $(if $(filter mps2-an386,$(BOARDS)),negative-abi) negative-int8
	@out=$(WORK)/$(FIRST)/digits.txt; \
	awk '$$1 == "y" && $$2 == "3" { h = "0123456789abcdef"; n = index(h, substr($$3, 10, 1)) - 1; \
	    $$3 = substr($$3, 1, 9) substr(h, n - n % 2 + 2 - n % 2, 1) } { print }' $$out >$(WORK)/negative-flipped.txt; \
	if $(TINYNN_CLI) verify $(M)/digits.tnn --firmware-output $(WORK)/negative-flipped.txt $(digits_DATA) >$(WORK)/negative-flipped.verify 2>&1; \
	then echo "negative: a flipped bit was not caught"; exit 1; fi; \
	if $(TINYNN_CLI) verify $(M)/wine3.tnn --firmware-output $$out $(wine3_DATA) >$(WORK)/negative-model.verify 2>&1; \
	then echo "negative: digits' output passed as wine3's"; exit 1; fi; \
	echo "negative: caught a flipped bit ($$(grep -m1 'first difference' $(WORK)/negative-flipped.verify | cut -c1-60)...)"; \
	echo "negative: caught another model's output ($$(grep -m1 -o 'refused: .*' $(WORK)/negative-model.verify | cut -c1-60)...)"

# int8: a flipped bit in an integer output (the lowest of row 3's first
# logit), the float digits model's output as digits8's, and digits8's output
# for other rows (digits' held-out rows, seed 1), are refused.
negative-int8: $(WORK)/$(FIRST)/digits8.row $(WORK)/$(FIRST)/digits.row
	@out=$(WORK)/$(FIRST)/digits8.txt; \
	awk '$$1 == "y" && $$2 == "3" { h = "0123456789abcdef"; n = index(h, substr($$3, 10, 1)) - 1; \
	    $$3 = substr($$3, 1, 9) substr(h, n - n % 2 + 2 - n % 2, 1) } { print }' $$out >$(WORK)/negative-int8-flipped.txt; \
	if $(TINYNN_CLI) verify $(M)/digits8.tnn --firmware-output $(WORK)/negative-int8-flipped.txt $(digits8_DATA) >$(WORK)/negative-int8-flipped.verify 2>&1; \
	then echo "negative: a flipped bit in an int8 output was not caught"; exit 1; fi; \
	grep -q 'first difference: row 3 output 0: host 0x' $(WORK)/negative-int8-flipped.verify \
	    || { cat $(WORK)/negative-int8-flipped.verify; echo "negative: the int8 flipped bit failed for another reason"; exit 1; }; \
	if $(TINYNN_CLI) verify $(M)/digits8.tnn --firmware-output $(WORK)/$(FIRST)/digits.txt $(digits8_DATA) >$(WORK)/negative-int8-model.verify 2>&1; \
	then echo "negative: the float model's output passed as digits8's"; exit 1; fi; \
	grep -q 'refused: the firmware ran other model' $(WORK)/negative-int8-model.verify \
	    || { cat $(WORK)/negative-int8-model.verify; echo "negative: another model's output failed for another reason"; exit 1; }; \
	if $(TINYNN_CLI) verify $(M)/digits8.tnn --firmware-output $$out $(digits_DATA) >$(WORK)/negative-int8-vectors.verify 2>&1; \
	then echo "negative: digits8's output passed for other rows"; exit 1; fi; \
	grep -q 'refused: the firmware ran other vectors' $(WORK)/negative-int8-vectors.verify \
	    || { cat $(WORK)/negative-int8-vectors.verify; echo "negative: other vectors failed for another reason"; exit 1; }; \
	echo "negative: int8: caught a flipped bit ($$(grep -m1 -o 'first difference: .*' $(WORK)/negative-int8-flipped.verify | cut -c1-70)...)"; \
	echo "negative: int8: caught another model's output ($$(grep -m1 -o 'refused: .*' $(WORK)/negative-int8-model.verify | cut -c1-60)...)"; \
	echo "negative: int8: caught other vectors ($$(grep -m1 -o 'refused: .*' $(WORK)/negative-int8-vectors.verify | cut -c1-60)...)"

negative-abi: $(WORK)/mps2-an386/lib/libtinynn-mps2-an386.a $(M)/digits.c $(M)/digits-vectors.h
	@if $(MAKE) -s --no-print-directory BOARD=mps2-an386 FLOAT_ABI=softfp LIBNAME=tinynn-mps2-an386 MODEL=$(M)/digits \
	    VECTORS=$(M)/digits-vectors.h LIB=$(WORK)/mps2-an386/lib OUT=$(WORK)/negative-abi all >$(WORK)/negative-abi.build 2>&1; \
	then echo "negative: a softfp project linked with the hard-float library"; exit 1; fi; \
	grep -q "undefined reference to .tinynn_run_abi_softfp_enum1" $(WORK)/negative-abi.build \
	    || { cat $(WORK)/negative-abi.build; echo "negative: the softfp link failed for another reason"; exit 1; }; \
	echo "negative: a softfp project does not link with the hard-float library (undefined tinynn_run_abi_softfp_enum1)"

table: $(ROWS) negative
	@echo "one-copy: $$(cat $(ROWS:.row=.build) | grep -c 'one copy each') of $(words $(ROWS)) firmware hold one copy of each parameter array (nm)"
	@printf '%-17s %-7s %-14s %-6s %5s %8s %10s %12s\n' board model shape equal rows "flash B" "instr gcc" "instr Swift"
	@cat $(ROWS)
	@echo "(instructions per inference under QEMU -icount shift=0. gcc: the example firmware (gcc, newlib or picolibc,"
	@echo " libtinynn-BOARD.a), NAME_predict through the C API, input scaling included; Swift (SWIFT=1): the in-tree"
	@echo " inference firmware, widths fixed at compile time, input scaling excluded. flash: text + data, B;"
	@echo " digits8: the int8 model, tinynn_int8_predict, integer logits and softmax probabilities compared)"
