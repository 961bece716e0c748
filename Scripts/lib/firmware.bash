# Shared by the firmware scripts (sourced, not run): the targets, the tinynn
# CLI, and the reference models Scripts/verify and Scripts/bench-firmware use.
# Expects ROOT and ME to be set; the models are cached under .build/firmware-refs/.

REFS_DIR=$ROOT/.build/firmware-refs

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
# Sets TINYNN; a TINYNN already set in the environment is used as it is.
build_tinynn() {
    [[ -n ${TINYNN:-} && -x ${TINYNN:-} ]] && return 0
    command -v swift >/dev/null || die 2 "swift not found on PATH (the Swift toolchain, e.g. /opt/swift/usr/bin)"
    local log=$ROOT/.build/$ME-tinynn-build.log
    mkdir -p "$ROOT/.build"
    if ! (cd "$ROOT" && swift build -c release --product tinynn) >"$log" 2>&1; then
        grep -E 'error' "$log" | head -20 >&2
        die 1 "building the tinynn CLI failed (log: $log)"
    fi
    export TINYNN
    TINYNN=$(cd "$ROOT" && swift build -c release --show-bin-path)/tinynn
    [[ -x $TINYNN ]] || die 1 "no tinynn binary at $TINYNN"
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
# (validation split 0.2) unless cached, exports its header, and writes up to
# VECTORS (default all) held-out rows as test vectors with the lines the
# inference firmware must print for them (tinynn vectors). Sets REF to the
# directory: model.tnn, train.log, vectors.h, expected.txt.
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
    "$TINYNN" "${args[@]}" --output "$tmp/model.tnn" \
        >"$tmp/train.log" 2>&1 || { cat "$tmp/train.log" >&2; die 1 "tinynn train ($name) failed"; }
    if [[ $name == digits20 ]] && ! grep -q '^stopped after epoch' "$tmp/train.log"; then
        die 1 "tinynn train ($name) did not stop early: verify needs an early-stopped model"
    fi
    "$TINYNN" vectors --data "$data" --validation-split 0.2 --seed "$seed" ${limit:+--rows "$limit"} \
        --header "$tmp/vectors.h" --model "$tmp/model.tnn" --expected "$tmp/expected.txt" >/dev/null \
        || die 1 "tinynn vectors ($name) failed"
    rm -rf "$REF"; mv "$tmp" "$REF"
}

# ref_wine: the label-first model (Data/wine3: 13 features, 3 classes, the
# label in column "class"), trained unless cached. Sets WINE to its .tnn and
# WINE_DATA to the flags that select its held-out rows, for tinynn verify.
ref_wine() {
    local args=(train --data "$ROOT/Data/wine3/wine3.csv" --label-column class --seeds-config --layers 13,16,3 --epochs 30
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
