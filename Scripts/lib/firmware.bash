# Shared by Scripts/verify, Scripts/demo and Scripts/bench-firmware (sourced,
# not run): the host reference (the tinynn CLI and its model files), the
# reference models and runs, firmware sizes, and the bit comparisons.
# Expects ROOT and ME to be set; everything it caches goes under
# .build/firmware-refs/.

REFS_DIR=$ROOT/.build/firmware-refs
SWIFTC=$(command -v swiftc || true)
LLVM_BIN=${SWIFTC:+$(dirname "$(readlink -f "$SWIFTC")")}

die() { echo "$ME: error: $2" >&2; exit "$1"; }
note() { echo "$ME: $*" >&2; }

# MARK: - Targets

# Every target, in table order: the native builds of the same app (host:
# normal Swift, host-embedded: Embedded Swift), then every QEMU board; each is
# a folder of Firmware/Boards with a board.env, the one list of boards.
is_qemu_target() { [[ $1 != host && $1 != host-embedded ]]; }
QEMU_BOARDS=()
for board_env in "$ROOT"/Firmware/Boards/*/board.env; do
    board_env=${board_env%/board.env}
    is_qemu_target "${board_env##*/}" && QEMU_BOARDS+=("${board_env##*/}")
done
ALL_TARGETS=(host host-embedded "${QEMU_BOARDS[@]}")

# MARK: - Host tools

# The tinynn CLI, built in release (waits for other SwiftPM runs on .build).
# Sets TINYNN.
build_tinynn() {
    local log=$ROOT/.build/$ME-tinynn-build.log
    mkdir -p "$ROOT/.build"
    if ! (cd "$ROOT" && swift build -c release --product tinynn) >"$log" 2>&1; then
        grep -E 'error' "$log" | head -20 >&2
        die 1 "building the tinynn CLI failed (log: $log)"
    fi
    TINYNN=$(cd "$ROOT" && swift build -c release --show-bin-path)/tinynn
    [[ -x $TINYNN ]] || die 1 "no tinynn binary at $TINYNN"
}

# MARK: - Reference models (inference)

# Three networks trained by the CLI on the bundled digits, each exported as a
# header; the test vectors are the rows each training run held out.
#   digits    [64, 32, 10], the footprint and benchmark network
#   digits20  [64, 20, 10], widths that are not multiples of 8 (kernel tails)
#   digits3   [64, 13, 7, 10], three layers, odd widths, ReLU family, no scaling
# and, for Scripts/bench-firmware only (verify does not need a fourth):
#   digitsrelu [64, 32, 10] as digits with a ReLU hidden layer
REF_MODELS=(digits digits20 digits3)
ref_model_seed() {
    case $1 in digits) echo 1 ;; digits20) echo 2 ;; digits3) echo 3 ;; digitsrelu) echo 4 ;; esac
}
ref_model_args() {
    case $1 in
        digits) echo --layers 64,32,10 --activations sigmoid,softmax --loss cross-entropy --epochs 10 ;;
        digitsrelu) echo --layers 64,32,10 --activations relu,softmax --loss cross-entropy --epochs 10 ;;
        digits20) echo --layers 64,20,10 --activations tanh,softmax --loss cross-entropy --scale standard \
                       --optimizer momentum --eta 0.05 --epochs 10 ;;
        digits3) echo --layers 64,13,7,10 --activations relu,leaky-relu,softmax --scale none \
                      --optimizer adam --eta 0.003 --epochs 10 ;;
    esac
}
ref_model_shape() {
    case $1 in digits | digitsrelu) echo 64-32-10 ;; digits20) echo 64-20-10 ;; digits3) echo 64-13-7-10 ;; esac
}

# ref_model NAME [VECTORS]: trains NAME with the CLI on Data/digits/digits.csv
# (validation split 0.2) unless cached, exports its header, and writes up to
# VECTORS (default all) held-out rows as test vectors with the lines the
# inference firmware must print for them (tinynn vectors). Sets REF to the
# directory: model.tnn, model.h, train.log, vectors.h, expected.txt.
ref_model() {
    local name=$1 limit=${2:-} seed data=$ROOT/Data/digits/digits.csv
    seed=$(ref_model_seed "$name")
    # shellcheck disable=SC2046
    local args=(train --data "$data" $(ref_model_args "$name") --seed "$seed" --validation-split 0.2)
    local key
    key=$( { sha256sum "$TINYNN" "$data" | cut -d' ' -f1; echo "${args[*]} limit=$limit"; } | sha256sum | cut -c1-16)
    REF=$REFS_DIR/$name-$key
    [[ -f $REF/expected.txt ]] && return 0
    local tmp=$REF.tmp.$$
    rm -rf "$tmp"; mkdir -p "$tmp"
    "$TINYNN" "${args[@]}" --output "$tmp/model.tnn" --header "$tmp/model.h" --name "$name" \
        >"$tmp/train.log" 2>&1 || { cat "$tmp/train.log" >&2; die 1 "tinynn train ($name) failed"; }
    "$TINYNN" vectors --data "$data" --validation-split 0.2 --seed "$seed" ${limit:+--rows "$limit"} \
        --header "$tmp/vectors.h" --model "$tmp/model.tnn" --expected "$tmp/expected.txt" >/dev/null \
        || die 1 "tinynn vectors ($name) failed"
    rm -rf "$REF"; mv "$tmp" "$REF"
}

# ref_wine: the label-first model (Data/wine3: 13 features, 3 classes, the
# label in column "class"), trained unless cached. Sets WINE to its .tnn and
# WINE_DATA to the flags that select its held-out rows, for tinynn verify.
ref_wine() {
    local args=(train --data "$ROOT/Data/wine3/wine3.csv" --label-column class --layers 13,16,3 --epochs 30
                --seed 5 --validation-split 0.2)
    local key
    key=$( { sha256sum "$TINYNN" "$ROOT/Data/wine3/wine3.csv" | cut -d' ' -f1; echo "${args[*]}"; } | sha256sum | cut -c1-16)
    WINE=$REFS_DIR/wine3-$key.tnn
    WINE_DATA=(--data "$ROOT/Data/wine3/wine3.csv" --label-column class --validation-split 0.2 --seed 5)
    [[ -f $WINE ]] && return 0
    mkdir -p "$REFS_DIR"
    "$TINYNN" "${args[@]}" --output "$WINE.tmp.$$.tnn" >/dev/null 2>&1 || die 1 "tinynn train (wine3) failed"
    mv -f "$WINE.tmp.$$.tnn" "$WINE"
}

# MARK: - Reference runs (training)

TRAIN_APP=$ROOT/Firmware/Apps/train

# ref_training: every run in Firmware/Apps/train/runs.env trained by
# `tinynn train` with the same data and settings (SGD, --scale none, no
# validation split). Sets REF_TRAIN to a directory with NAME.tnn and
# NAME.expected ("NAME loss|eta BITS" and one "NAME wL[j][i]|bL[j] BITS"
# line per parameter, in model-file order).
ref_training() {
    local key
    key=$( { sha256sum "$TINYNN" "$TRAIN_APP"/runs.env "$TRAIN_APP"/*.csv | cut -d' ' -f1; } | sha256sum | cut -c1-16)
    REF_TRAIN=$REFS_DIR/train-$key
    [[ -f $REF_TRAIN/done ]] && return 0
    local tmp=$REF_TRAIN.tmp.$$ run
    rm -rf "$tmp"; mkdir -p "$tmp"
    # shellcheck source=/dev/null
    ( source "$TRAIN_APP/runs.env"
      for run in $RUNS; do
          v() { local n=${run}_$1; echo "${!n}"; }
          local args=(train --data "$TRAIN_APP/$(v DATA)" --layers "$(v LAYERS)" --activations "$(v ACTIVATIONS)"
                      --loss "$(v LOSS)" --optimizer sgd --eta "$(v ETA)" --batch "$(v BATCH)"
                      --epochs "$(v EPOCHS)" --seed "$(v SEED)" --scale none --validation-split 0)
          [[ $(v INIT) == standard ]] || args+=(--init "$(v INIT)")
          echo "tinynn ${args[*]}" >"$tmp/$(v NAME).command"
          "$TINYNN" "${args[@]}" --output "$tmp/$(v NAME).tnn" >"$tmp/$(v NAME).log" 2>&1 \
              || { cat "$tmp/$(v NAME).log" >&2; exit 1; }
          model_values "$tmp/$(v NAME).tnn" "$(v NAME)" >"$tmp/$(v NAME).expected"
      done ) || die 1 "tinynn train (the train app's runs) failed"
    touch "$tmp/done"
    rm -rf "$REF_TRAIN"; mv "$tmp" "$REF_TRAIN"
}

# model_values FILE.tnn NAME: the model file's training loss, learning rate
# and parameters as labelled bits (tinynn export --bits).
model_values() { "$TINYNN" export "$1" --bits --name "$2"; }

# firmware_values OUTPUT NAME: the train app's output for run NAME in the
# order of model_values, unlabelled: "loss BITS", "eta BITS", then one BITS
# per line.
firmware_values() {
    awk -v name="$2" '
        $1 == name && $2 == "loss" { loss = $3 }
        $1 == name && $2 == "eta" { eta = $3 }
        $1 == name && $2 ~ /^[wb][0-9]+$/ { for (i = 3; i <= NF; i++) p[++n] = $i }
        END { print "loss " loss; print "eta " eta; for (i = 1; i <= n; i++) print p[i] }' "$1"
}

# MARK: - Comparisons

# compare_training EXPECTED OUTPUT NAME: 0 if the firmware printed exactly the
# expected loss, learning rate and parameters; else prints the first
# difference (label, host bits, target bits) and returns 1.
compare_training() {
    local expected=$1 output=$2 name=$3
    firmware_values "$output" "$name" | awk -v name="$name" '
        NR == FNR { label[FNR] = $2; want[FNR] = $3; n = FNR; next }
        { k++; got = (NF == 2 ? $2 : $1)
          if (k <= n && got != want[k]) { printf "%s %s: host %s, target %s\n", name, label[k], want[k], got; bad = 1; exit } }
        END {
            if (bad) exit 1
            if (k != n) { printf "%s: host has %d values, target printed %d\n", name, n, k; exit 1 }
        }' "$expected" -
}

# compare_inference REF OUTPUT: 0 if the firmware's output (model and vectors
# identities, "y" lines) is REF's expected.txt bit for bit (tinynn verify);
# else prints the first difference and returns 1.
compare_inference() {
    local result
    result=$("$TINYNN" verify "$1/model.tnn" --expected "$1/expected.txt" --firmware-output "$2" 2>&1) && return 0
    grep -m1 -E '^[^ ]+: (first difference|refused):' <<<"$result" | sed 's/^[^ ]*: //' || tail -1 <<<"$result"
    return 1
}

# MARK: - Sizes

# elf_sizes ELF: "TEXT RODATA DATA BSS" in bytes (sections.ld's four). The
# sizes are hex strings; compared with "", not tested for truth, since awk
# reads one such as 00000e30 as the number 0e30, which is 0.
elf_sizes() {
    local text rodata data bss
    read -r text rodata data bss < <("$LLVM_BIN/llvm-objdump" -h "$1" | awk '
        $2 == ".text" { t = $3 } $2 == ".rodata" { r = $3 } $2 == ".data" { d = $3 } $2 == ".bss" { b = $3 }
        END { print (t != "" ? t : 0), (r != "" ? r : 0), (d != "" ? d : 0), (b != "" ? b : 0) }')
    echo $((16#$text)) $((16#$rodata)) $((16#$data)) $((16#$bss))
}

# symbol_bytes ELF REGEX: the summed sizes of the symbols whose names match.
symbol_bytes() {
    local size total=0
    while read -r size; do total=$((total + 16#$size)); done \
        < <("$LLVM_BIN/llvm-nm" -S "$1" | awk -v re="$2" 'NF == 4 && $4 ~ re { print $2 }')
    echo "$total"
}

# MARK: - Benchmark output

# bench_instructions OUTPUT NAME: instructions per run of the bench app's
# line "NAME runs R ticks T tick_ps P", to one decimal.
bench_instructions() {
    awk -v name="$2" '$1 == name && $2 == "runs" { printf "%.1f\n", $5 * $7 / 1000 / $3; found = 1 }
                      END { exit !found }' "$1"
}
