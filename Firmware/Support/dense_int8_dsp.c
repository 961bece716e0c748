// Int8Kernels.dense for cores with the DSP extension (Cortex-M4, M33, M7):
// z[j] = b[j] + sum_i w[j][i] * x[i], exact in int32, with SMLAD (two 16-bit
// multiply-accumulates in one instruction) on SXTB16-unpacked pairs. The
// core calls it only when compiled with -D TINYNN_DSP_INT8 (board.env of
// mps2-an386, mps2-an505, mps2-an500: SWIFT_DEFINES); elsewhere this file
// is empty. Int8Kernels.denseReference (Sources/TinyNN/Quantized/
// Int8Kernels.swift) stays the definition: every sum is exact, so any order
// of terms gives its bits, and the inference-int8 app compares the two over
// 561 shapes at start-up.
//
// The weights stay [Out][In] as exported. Per layer, the input is unpacked
// once into int16 pairs on the stack (xs, up to 256 inputs a chunk): for
// each word x[4q..4q+3], SXTB16 gives (x0, x2) and SXTB16 ROR #8 (x1, x3),
// the pairs that SXTB16 and SXTB16 ROR #8 of a weight word give, so no
// reordering of the weights is needed. Then rows two at a time in assembly
// (tinynn_int8_rows2, below): per 8 inputs and 2 rows one ldm of the four
// input pairs, one ldrd of 8 weights per row, 8 SXTB16 and 8 SMLAD: 19
// instructions for 16 MACs (1.19 per MAC), the loop unrolled four times (2
// more per 64 MACs) and 11 a pair of rows. ldrd needs word-aligned rows, so
// In % 4 == 0 (the exported arrays are 16-byte aligned); other widths, an
// odd last row and the inputs past 8·⌊In/8⌋ take the C loops.
#if defined(__ARM_FEATURE_DSP)
#include <stdint.h>

typedef uint32_t __attribute__((aligned(1), may_alias)) unaligned_u32;

#ifndef TNN_CHUNK
#define TNN_CHUNK 256  // inputs a chunk; smaller only to test the chunking
#endif

static inline uint32_t even(uint32_t v) { return (uint32_t)__builtin_arm_sxtb16((int32_t)v); }
static inline uint32_t odd(uint32_t v) { return (uint32_t)__builtin_arm_sxtb16((int32_t)((v >> 8) | (v << 24))); }

// Rows j, j + 1 of `blocks` pairs over k inputs (a multiple of 8, ≥ 8):
// z[j] = init[j] + Σ_{i<k} w[j][i]·x[i], where xs holds the unpacked pairs
// and init = z + d (d in bytes: b − z for the first chunk, 0 after).
// r0 w (row 0), r1 n (row stride), r2 xs, r3 k; stack: z, blocks, d.
//
// Registers in the loop: r0, r1 the two rows, r2 xs, r3 the count, r4, r5
// the sums, r6-r9 four input pairs, r10, r11 eight weights, r12 the odd
// pairs. lr walks z. The frame [sp] = {n, xs, iterations, d, entry, gap,
// z end}: one ldm starts a pair of rows; the loop does four steps of 8
// inputs an iteration, and entry skips the first (4 − k/8 % 4) % 4 steps
// of the first (Duff's device); gap = n − k takes row 1's end to the next
// pair's row 0.
__attribute__((naked)) static void tinynn_int8_rows2(const int8_t *w, int32_t n, const uint32_t *xs, int32_t k,
                                                     int32_t *z, int32_t blocks, int32_t d) {
    __asm__ volatile(
        "   push {r4-r11, lr}\n"
        "   sub sp, #28\n"
        // incoming stack arguments: z at sp+64, blocks at sp+68, d at sp+72
        "   ldr lr, [sp, #64]\n"
        "   ldr r4, [sp, #68]\n"
        "   add r4, lr, r4, lsl #3\n"
        "   ldr r5, [sp, #72]\n"
        "   subs r6, r1, r3\n"
        "   str r6, [sp, #20]\n"
        "   str r4, [sp, #24]\n"
        "   str r5, [sp, #12]\n"
        "   str r1, [sp, #0]\n"
        "   str r2, [sp, #4]\n"
        "   lsrs r4, r3, #3\n"    // g = k/8 steps of 8 inputs
        "   adds r5, r4, #3\n"
        "   lsrs r5, r5, #2\n"
        "   str r5, [sp, #8]\n"   // iterations = ceil(g/4)
        "   rsbs r4, r4, #0\n"
        "   and r4, r4, #3\n"     // steps skipped in the first iteration: (4 - g % 4) % 4
        "   movs r6, #76\n"       // bytes a step (19 32-bit instructions; checked below)
        "   adr r5, 1f\n"
        "   mla r5, r4, r6, r5\n"
        "   orr r5, r5, #1\n"     // a Thumb address for ldr pc
        "   str r5, [sp, #16]\n"
        "   .p2align 2\n"
        "3: ldm sp, {r1, r2, r3, r12}\n"
        "   add r1, r0, r1\n"
        "   add r12, r12, lr\n"
        "   ldrd r4, r5, [r12]\n"
        "   ldr pc, [sp, #16]\n"
#define TNN_HALF                                                                                   \
        "   ldm r2!, {r6, r7, r8, r9}\n"                                                           \
        "   ldrd r10, r11, [r0], #8\n"                                                             \
        "   sxtb16 r12, r10, ror #8\n"                                                             \
        "   sxtb16 r10, r10\n"                                                                     \
        "   smlad r4, r10, r6, r4\n"                                                               \
        "   smlad r4, r12, r7, r4\n"                                                               \
        "   sxtb16 r12, r11, ror #8\n"                                                             \
        "   sxtb16 r11, r11\n"                                                                     \
        "   smlad r4, r11, r8, r4\n"                                                               \
        "   smlad r4, r12, r9, r4\n"                                                               \
        "   ldrd r10, r11, [r1], #8\n"                                                             \
        "   sxtb16 r12, r10, ror #8\n"                                                             \
        "   sxtb16 r10, r10\n"                                                                     \
        "   smlad r5, r10, r6, r5\n"                                                               \
        "   smlad r5, r12, r7, r5\n"                                                               \
        "   sxtb16 r12, r11, ror #8\n"                                                             \
        "   sxtb16 r11, r11\n"                                                                     \
        "   smlad r5, r11, r8, r5\n"                                                               \
        "   smlad r5, r12, r9, r5\n"
        "   .p2align 2\n"
        "1:\n" TNN_HALF
        "2:\n" TNN_HALF TNN_HALF TNN_HALF
#undef TNN_HALF
        "   subs r3, r3, #1\n"
        "   bne 1b\n"
        "   strd r4, r5, [lr], #8\n"
        "   ldr r12, [sp, #20]\n"
        "   add r0, r1, r12\n"
        "   ldr r12, [sp, #24]\n"
        "   cmp lr, r12\n"
        "   bne 3b\n"
        "   add sp, #28\n"
        "   pop {r4-r11, pc}\n"
        "   .if (2b - 1b) != 76\n"
        "   .error \"tinynn_int8_rows2: a step is not 76 bytes\"\n"
        "   .endif\n");
}

// z[j] = init[j] + Σ_{i<k} w[j][i]·x[i] for one row over the unpacked pairs (k a multiple of 4).
static int32_t row1(const int8_t *w, const uint32_t *xs, int32_t k, int32_t s) {
    const unaligned_u32 *p = (const unaligned_u32 *)w;
    for (int32_t q = k >> 2; q > 0; q--) {
        uint32_t v = *p++;
        s = __builtin_arm_smlad((int32_t)even(v), (int32_t)xs[0], s);
        s = __builtin_arm_smlad((int32_t)odd(v), (int32_t)xs[1], s);
        xs += 2;
    }
    return s;
}

void tinynn_dense_int8_dsp(const int8_t *w, const int32_t *b, const int8_t *x, int32_t *z, int32_t n, int32_t m) {
    uint32_t xs[TNN_CHUNK / 2] __attribute__((aligned(8)));
    // The asm rows need word-aligned rows (ldrd) and 8 inputs a step.
    const int paired = (n & 3) == 0 && ((uintptr_t)w & 3) == 0;
    const int32_t body = paired ? n & ~7 : n & ~3;
    const int32_t *init = b;
    for (int32_t c = 0; c < body; c += TNN_CHUNK) {
        const int32_t k = body - c < TNN_CHUNK ? body - c : TNN_CHUNK;
        const unaligned_u32 *px = (const unaligned_u32 *)(x + c);
        uint32_t *o = xs;
        for (uint32_t q = (uint32_t)k >> 3; q != 0; q--) {
            uint32_t v0 = px[0], v1 = px[1];
            o[0] = even(v0); o[1] = odd(v0); o[2] = even(v1); o[3] = odd(v1);
            px += 2; o += 4;
        }
        if (k & 4) { o[0] = even(px[0]); o[1] = odd(px[0]); }
        int32_t j = 0;
        if (paired && m >= 2) {
            tinynn_int8_rows2(w + c, n, xs, k, z, m >> 1, (int32_t)((const char *)init - (const char *)z));
            j = m & ~1;
        }
        for (; j < m; j++) z[j] = row1(w + j * n + c, xs, k, init[j]);
        init = z;
    }
    if (body < n) {
        for (int32_t j = 0; j < m; j++) {
            const int8_t *t = w + j * n;
            int32_t s = init[j];
            for (int32_t i = body; i < n; i++) s += t[i] * x[i];
            z[j] = s;
        }
    }
}
#endif
