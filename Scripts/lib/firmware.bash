# Shared by Scripts/verify, Scripts/demo and Scripts/bench-firmware (sourced,
# not run): the host reference (the tinynn CLI and its model files), the
# reference models and runs, firmware sizes, and the bit comparisons.
# Expects ROOT and ME to be set; everything it caches goes under
# .build/firmware-refs/ and .build/tools/.

TOOLS_DIR=$ROOT/.build/tools
REFS_DIR=$ROOT/.build/firmware-refs
SWIFTC=$(command -v swiftc || true)
LLVM_BIN=${SWIFTC:+$(dirname "$(readlink -f "$SWIFTC")")}

die() { echo "$ME: error: $2" >&2; exit "$1"; }
note() { echo "$ME: $*" >&2; }

# MARK: - Targets

# Every target, in table order: two native builds of the same app (normal
# Swift, Embedded Swift) and the three QEMU boards.
ALL_TARGETS=(host host-embedded mps2-an386 microbit riscv32)

is_qemu_target() { [[ $1 != host && $1 != host-embedded ]]; }

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

# Firmware/Tools/f32bits.c with the host C compiler. Sets F32BITS.
build_f32bits() {
    F32BITS=$TOOLS_DIR/f32bits
    local source=$ROOT/Firmware/Tools/f32bits.c
    if [[ ! -x $F32BITS || $source -nt $F32BITS ]]; then
        mkdir -p "$TOOLS_DIR"
        "${CC:-cc}" -std=gnu11 -O2 -Wall -Wextra "$source" -o "$F32BITS.tmp" || die 1 "compiling $source failed"
        mv -f "$F32BITS.tmp" "$F32BITS"
    fi
}

# MARK: - Reference models (inference)

# Three networks trained by the CLI on the bundled digits, each exported as a
# header; the test vectors are the rows each training run held out.
#   digits    [64, 32, 10], the footprint and benchmark network
#   digits20  [64, 20, 10], widths that are not multiples of 8 (kernel tails),
#             early-stopped (the file keeps the best evaluated epoch, not the last)
#   digits3   [64, 13, 7, 10], three layers, odd widths, ReLU family, no scaling
# and, for Scripts/bench-firmware only (verify does not need a fourth):
#   digitsrelu [64, 32, 10] as digits with a ReLU hidden layer
REF_MODELS=(digits digits20 digits3)
ref_model_seed() {
    case $1 in digits) echo 1 ;; digits20) echo 2 ;; digits3) echo 3 ;; digitsrelu) echo 4 ;; esac
}
ref_model_args() {
    case $1 in
        digits) echo --seeds-config --layers 64,32,10 --activations sigmoid,softmax --loss cross-entropy --epochs 10 ;;
        digitsrelu) echo --seeds-config --layers 64,32,10 --activations relu,softmax --loss cross-entropy --epochs 10 ;;
        digits20) echo --seeds-config --layers 64,20,10 --activations tanh,softmax --loss cross-entropy --scale standard \
                       --optimizer momentum --eta 0.05 --epochs 200 --patience 5 --eval-every 2 ;;
        digits3) echo --seeds-config --layers 64,13,7,10 --activations relu,leaky-relu,softmax --scale none \
                      --optimizer adam --eta 0.003 --epochs 10 ;;
    esac
}
ref_model_shape() {
    case $1 in digits | digitsrelu) echo 64-32-10 ;; digits20) echo 64-20-10 ;; digits3) echo 64-13-7-10 ;; esac
}

# ref_model NAME [VECTORS]: trains NAME with the CLI on Data/digits/digits.csv
# (validation split 0.2) unless cached, exports its header, writes up to
# VECTORS (default all) held-out rows as test vectors and the CLI's predictions
# for them as bits. Sets REF to the directory: model.tnn, model.h, train.log,
# vectors.h, vectors.csv, expected.txt ("y INDEX BITS..." per vector).
ref_model() {
    local name=$1 limit=${2:-} seed data=$ROOT/Data/digits/digits.csv
    seed=$(ref_model_seed "$name")
    # shellcheck disable=SC2046
    local args=(train --data "$data" $(ref_model_args "$name") --seed "$seed" --validation-split 0.2)
    local key
    key=$( { sha256sum "$TINYNN" "$data" "$ROOT/Scripts/make-vectors" "$ROOT/Firmware/Tools/heldout.swift" \
                 "$ROOT/Sources/TinyNN/Random.swift" | cut -d' ' -f1; echo "${args[*]} limit=$limit"; } \
           | sha256sum | cut -c1-16)
    REF=$REFS_DIR/$name-$key
    [[ -f $REF/expected.txt ]] && return 0
    local tmp=$REF.tmp.$$
    rm -rf "$tmp"; mkdir -p "$tmp"
    "$TINYNN" "${args[@]}" --output "$tmp/model.tnn" --header "$tmp/model.h" --name "$name" \
        >"$tmp/train.log" 2>&1 || { cat "$tmp/train.log" >&2; die 1 "tinynn train ($name) failed"; }
    if [[ $name == digits20 ]] && ! grep -q '^stopped after epoch' "$tmp/train.log"; then
        die 1 "tinynn train ($name) did not stop early: verify needs an early-stopped model"
    fi
    "$ROOT/Scripts/make-vectors" --data "$data" --held-out 0.2 --seed "$seed" ${limit:+--limit "$limit"} \
        --header "$tmp/vectors.h" --csv "$tmp/vectors.csv" 2>/dev/null || die 1 "make-vectors ($name) failed"
    "$TINYNN" predict "$tmp/model.tnn" --data "$tmp/vectors.csv" >"$tmp/predict.txt" \
        || die 1 "tinynn predict ($name) failed"
    cut -d' ' -f2- "$tmp/predict.txt" | "$F32BITS" | awk '{ print "y " NR - 1 " " $0 }' >"$tmp/expected.txt" \
        || die 1 "converting tinynn predict's decimals to bits failed"
    rm -rf "$REF"; mv "$tmp" "$REF"
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
# and parameters as labelled bits (see ModelFile.swift for the layout).
model_values() {
    local file=$1 name=$2 size layers
    size=$(stat -c %s "$file")
    layers=$(od -An -tu1 -j 16 -N 1 "$file" | tr -d ' ')
    local widths
    widths=$(od -An -tu4 -v -j 88 -N $((4 * (layers + 1))) "$file" | xargs)
    echo "$name loss 0x$(od -An -tx4 -j 76 -N 4 "$file" | tr -d ' ')"
    echo "$name eta 0x$(od -An -tx4 -j 24 -N 4 "$file" | tr -d ' ')"
    local count
    count=$(awk -v w="$widths" 'BEGIN { n = split(w, x, " "); for (l = 2; l <= n; l++) p += x[l] * (x[l - 1] + 1); print p }')
    od -An -tx4 -v -j $((size - 4 - 4 * count)) -N $((4 * count)) "$file" | tr -s ' ' '\n' | grep . \
        | awk -v w="$widths" -v name="$name" '
            BEGIN { n = split(w, x, " "); l = 1; k = 0 }
            {
                inputs = x[l]; outputs = x[l + 1]
                if (k < inputs * outputs) label = sprintf("w%d[%d][%d]", l, int(k / inputs), k % inputs)
                else label = sprintf("b%d[%d]", l, k - inputs * outputs)
                print name " " label " 0x" $1
                if (++k == outputs * (inputs + 1)) { l++; k = 0 }
            }'
}

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

# compare_inference EXPECTED OUTPUT: 0 if the firmware's "y" lines equal the
# expected ones bit for bit; else prints the first difference.
compare_inference() {
    grep '^y ' "$2" | awk '
        NR == FNR { line[FNR] = $0; n = FNR; next }
        { k++
          if (k > n) { printf "target printed more than the %d vectors the host has\n", n; bad = 1; exit }
          if ($0 != line[k]) {
              m = split(line[k], want, " ")
              if (NF != m) { printf "vector %d: host has %d outputs, target printed %d\n", k - 1, m - 2, NF - 2; bad = 1; exit }
              for (i = 3; i <= NF; i++) if ($i != want[i]) {
                  printf "vector %d output %d: host %s, target %s\n", k - 1, i - 3, want[i], $i; bad = 1; exit
              }
          }
        }
        END { if (bad) exit 1; if (k != n) { printf "target printed %d of the %d vectors\n", k, n; exit 1 } }' "$1" -
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
