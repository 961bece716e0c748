/* A C firmware that runs a model exported by `tinynn export --c` on test
 * vectors from `tinynn vectors --header`, linked with libtinynn-BOARD.a
 * (Scripts/build-lib) by arm-none-eabi-gcc or riscv64-unknown-elf-gcc.
 * A float model runs through tinynn_predict, an int8 model (tinynn quantize;
 * its vectors from `tinynn vectors --model MODEL-int8.tnn`) through
 * tinynn_int8_predict, integers only.
 *
 * It prints what the Swift inference firmware prints (BitDump's lines), so
 * `tinynn verify MODEL --firmware-output FILE --data ...` compares it with the
 * host bit for bit:
 *
 *     model crc 0x...          CRC-32 of the parameters, computed from flash
 *     vectors N crc 0x...      CRC-32 of the test vectors, computed from flash
 *     y ROW 0xBITS ...         every output of MODEL_predict on row ROW (int8: each
 *                              output as an int32 bit pattern, then for a softmax
 *                              output the integer softmax's probabilities)
 *
 * then `instructions per inference N` (meaningful under QEMU -icount shift=0,
 * where an instruction takes 1 ns) and `c-project: done`. Exit code 0, or 1
 * when a predict call fails or the flash CRC is not the header's.
 *
 * The Makefile names the model: MODEL_HEADER ("digits.h"), MODEL_NAME
 * (digits) and MODEL_UPPER (DIGITS), so this file serves any export.
 */
#include <stdint.h>

#include "support.h"        /* the board's console, clock and exit (Firmware/Support) */
#include "model_check.h"
#include VECTORS_HEADER  /* tinynn vectors --header: tinynn_vectors, TINYNN_VECTORS_* */

#define INPUTS MODEL_MACRO(_INPUTS)
#define OUTPUTS MODEL_MACRO(_OUTPUTS)

#if TINYNN_VECTORS_FEATURES != INPUTS
#error "the test vectors' width is not the model's input width"
#endif

#if MODEL_INT8
#ifndef TINYNN_VECTORS_INT8
#error "an int8 model needs int8 test vectors (tinynn vectors --model MODEL-int8.tnn --header)"
#endif
#define VECTORS tinynn_vectors_int8
static int32_t scratch[MODEL_MACRO(_SCRATCH_WORDS)];
static int8_t y[OUTPUTS], probabilities[OUTPUTS];
#define PREDICT(x) MODEL_PREDICT((x), y, probabilities, scratch)
#define VECTORS_CRC() crc32_bytes(tinynn_vectors_int8, TINYNN_VECTORS_COUNT * TINYNN_VECTORS_FEATURES, 0)
#else
#ifdef TINYNN_VECTORS_INT8
#error "int8 test vectors are for an int8 model: write float ones with tinynn vectors --header (no int8 --model)"
#endif
#define VECTORS tinynn_vectors
static float scratch[MODEL_MACRO(_SCRATCH_FLOATS)];
static float y[OUTPUTS];
#define PREDICT(x) MODEL_PREDICT((x), y, scratch)
#define VECTORS_CRC() crc32_floats(tinynn_vectors, TINYNN_VECTORS_COUNT * TINYNN_VECTORS_FEATURES, 0)
#endif

static void put(const char *s) {
    while (*s) support_console_putc(*s++);
}

static void put_hex(uint32_t v) {
    int shift;
    put("0x");
    for (shift = 28; shift >= 0; shift -= 4) support_console_putc("0123456789abcdef"[(v >> shift) & 0xFu]);
}

static void put_uint(uint32_t u) {
    char digits[10];
    int n = 0;
    do { digits[n++] = (char)('0' + u % 10u); u /= 10u; } while (u != 0);
    while (n > 0) support_console_putc(digits[--n]);
}

int32_t firmware_main(void) {
    uint32_t crc = model_parameter_crc(), ticks, t0, t1;
    int32_t row, k, failed = 0;
    support_stack_paint();
    put("c-project: ");
    put(support_board());
    put("\nmodel crc ");
    put_hex(crc);
    put("\nvectors ");
    put_uint(TINYNN_VECTORS_COUNT);
    put(" crc ");
    put_hex(VECTORS_CRC());
    put("\n");
    if (crc != MODEL_MACRO(_CRC32)) {
        put("c-project: the parameters in flash are not the header's (CRC ");
        put_hex(MODEL_MACRO(_CRC32));
        put(")\n");
        failed = 1;
    }

    for (row = 0; row < TINYNN_VECTORS_COUNT; row++) {
        tinynn_status status = PREDICT(&VECTORS[row * TINYNN_VECTORS_FEATURES]);
        if (status != TINYNN_OK) {
            put("c-project: predict failed on row ");
            put_uint((uint32_t)row);
            put("\n");
            return 1;
        }
        put("y ");
        put_uint((uint32_t)row);
#if MODEL_INT8
        for (k = 0; k < OUTPUTS; k++) {
            put(" ");
            put_hex((uint32_t)(int32_t)y[k]);
        }
        if (MODEL_DESCRIPTOR.activations[MODEL_DESCRIPTOR.layers - 1] == TINYNN_ACTIVATION_SOFTMAX) {
            for (k = 0; k < OUTPUTS; k++) {
                put(" ");
                put_hex((uint32_t)(int32_t)probabilities[k]);
            }
        }
#else
        for (k = 0; k < OUTPUTS; k++) {
            put(" ");
            put_hex(float_bits(y[k]));
        }
#endif
        put("\n");
    }

    /* Every row again, timed as one loop: ticks * picoseconds per tick / 1000
     * ps per instruction, per row (the loop's own few instructions included). */
    t0 = board_clock_ticks();
    for (row = 0; row < TINYNN_VECTORS_COUNT; row++) {
        (void)PREDICT(&VECTORS[row * TINYNN_VECTORS_FEATURES]);
    }
    t1 = board_clock_ticks();
    ticks = t1 - t0;
    put("instructions per inference ");
    put_uint((uint32_t)(((uint64_t)ticks * board_clock_tick_ps() / 1000u + TINYNN_VECTORS_COUNT / 2) / TINYNN_VECTORS_COUNT));
    put("\nstack peak ");
    put_uint(support_stack_peak());
    put("\nc-project: done\n");
    return failed;
}
