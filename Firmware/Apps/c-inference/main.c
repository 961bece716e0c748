/* c-inference: a plain C firmware that runs a model exported by tinynn.
 *
 * It checks the CRC-32 of the parameters in flash against the one the
 * exporter computed, then runs the model on the compiled-in test vectors
 * and prints, per vector, the predicted class and the bit pattern of each
 * output in hex, in the format of `tinynn predict --bits`:
 *
 *     Scripts/run-firmware mps2-an386 c-inference | grep '^[0-9]' > firmware.txt
 *     tinynn predict Firmware/Apps/c-inference/digits.tnn \
 *         --data Data/digits/digits.csv --limit 5 --bits > host.txt
 *     diff host.txt firmware.txt                     # no output: the same bits
 *
 * Exit code 0 (PASS) when the CRC matches and every class is the expected
 * one, 1 otherwise. The files beside this one were made with:
 *
 *     tinynn train --data Data/digits/digits.csv --seeds-config --layers 64,16,10 --epochs 30 \
 *         --seed 1 --output Firmware/Apps/c-inference/digits.tnn
 *     tinynn export Firmware/Apps/c-inference/digits.tnn --name digits \
 *         --output Firmware/Apps/c-inference/digits_model.h
 *
 * CAPI.swift and tinynn.h here are links to Firmware/CAPI: Scripts/build-firmware
 * compiles an app's Swift files (here the C API over the core) and its C files
 * (this one), so `Scripts/run-firmware BOARD c-inference` builds and runs it on
 * every board. From the board it needs support.h's console (Firmware/Support).
 */
#include <stdint.h>

/* Built by Scripts/build-firmware with the Swift objects, compiled with this
 * file's flags: no libtinynn, so no link-time ABI check (see tinynn.h). */
#define TINYNN_NO_ABI_CHECK
#include "support.h"
#include "tinynn.h"
#include "digits_model.h"
#include "test_vectors.h"

static const tinynn_model model = TINYNN_MODEL(digits);
static float scratch[TINYNN_DIGITS_SCRATCH_FLOATS];

static void put(const char *s) {
    while (*s) support_console_putc(*s++);
}

static void put_hex(uint32_t v) {
    int shift;
    for (shift = 28; shift >= 0; shift -= 4) support_console_putc("0123456789abcdef"[(v >> shift) & 0xFu]);
}

static void put_int(int32_t v) {
    char digits[12];
    int n = 0;
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    if (v < 0) support_console_putc('-');
    do { digits[n++] = (char)('0' + u % 10u); u /= 10u; } while (u != 0);
    while (n > 0) support_console_putc(digits[--n]);
}

/* A float's bits (a union is the C99 way to reinterpret without memcpy). */
static uint32_t bits(float f) {
    union { float f; uint32_t u; } pun;
    pun.f = f;
    return pun.u;
}

/* CRC-32 (IEEE, reflected) of the parameters as float32 little-endian bytes,
 * in model-file order: w1, b1, w2, b2, ... */
static uint32_t parameter_crc(void) {
    uint32_t crc = 0xFFFFFFFFu;
    int32_t l, k, count;
    for (l = 0; l < model.layers; l++) {
        const float *parts[2];
        int32_t sizes[2], p;
        parts[0] = model.weights[l]; sizes[0] = model.widths[l] * model.widths[l + 1];
        parts[1] = model.biases[l];  sizes[1] = model.widths[l + 1];
        for (p = 0; p < 2; p++) {
            for (k = 0; k < sizes[p]; k++) {
                uint32_t u = bits(parts[p][k]);
                for (count = 0; count < 32; count++) {
                    if (count % 8 == 0) crc ^= (u >> count) & 0xFFu;
                    crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
                }
            }
        }
    }
    return crc ^ 0xFFFFFFFFu;
}

int32_t firmware_main(void) {
    int32_t failures = 0, i, j;
    uint32_t crc = parameter_crc();

    put("c-inference: TinyNN C API on ");
    put(support_board());
    put("\nmodel digits: ");
    for (i = 0; i <= model.layers; i++) {
        if (i > 0) put("-");
        put_int(model.widths[i]);
    }
    put(", scratch ");
    put_int(tinynn_scratch_floats(&model));
    put(" floats, parameter CRC-32 0x");
    put_hex(crc);
    if (crc == TINYNN_DIGITS_CRC32) {
        put(" ok\n");
    } else {
        put(" MISMATCH, header says 0x");
        put_hex(TINYNN_DIGITS_CRC32);
        put("\n");
        failures++;
    }

    for (i = 0; i < TEST_VECTOR_COUNT; i++) {
        float y[TINYNN_DIGITS_OUTPUTS];
        int32_t predicted = tinynn_predict(&model, test_vectors[i], y, scratch);
        put_int(predicted);
        for (j = 0; j < TINYNN_DIGITS_OUTPUTS; j++) {
            put(" ");
            put_hex(bits(y[j]));
        }
        put("\n");
        if (predicted != test_vector_classes[i]) failures++;
    }

    put(failures == 0 ? "PASS\n" : "FAIL\n");
    return failures == 0 ? 0 : 1;
}
