// Int8Kernels.dense for cores with the DSP extension (Cortex-M4, M33, M7):
// z[j] = b[j] + sum_i w[j][i] * x[i], exact in int32, with SMLAD (two 16-bit
// multiply-accumulates in one instruction) on SXTB16-unpacked pairs. The
// core calls it only when compiled with -D TINYNN_DSP_INT8 (board.env of
// mps2-an386, mps2-an505, mps2-an500:
// SWIFT_DEFINES); elsewhere this file is empty. The Swift kernel
// (Sources/TinyNN/Quantized/Int8Kernels.swift, densePortable) stays the
// reference: every sum is exact, so any order of terms gives its bits, and
// the inference-int8 app compares the two over 231 shapes at start-up.
//
// Per four inputs and four rows: one load of x[i..i+3] unpacked once into
// (x0, x2) and (x1, x3) (SXTB16, and SXTB16 with ROR #8), four weight loads
// unpacked the same way, so the halfword pairs match without reordering the
// weights, and eight SMLADs: 23 instructions for 16 MACs. The tail inputs
// (In % 4) and rows (Out % 4) take the plain loop.
#if defined(__ARM_FEATURE_DSP)
#include <stdint.h>

typedef uint32_t __attribute__((aligned(1), may_alias)) unaligned_u32;

static inline uint32_t even(uint32_t v) { return (uint32_t)__builtin_arm_sxtb16((int32_t)v); }
static inline uint32_t odd(uint32_t v) { return (uint32_t)__builtin_arm_sxtb16((int32_t)((v >> 8) | (v << 24))); }
static inline int32_t mac(uint32_t w, uint32_t xe, uint32_t xo, int32_t s) {
    s = __builtin_arm_smlad((int32_t)even(w), (int32_t)xe, s);
    return __builtin_arm_smlad((int32_t)odd(w), (int32_t)xo, s);
}

void tinynn_dense_int8_dsp(const int8_t *w, const int32_t *b, const int8_t *x, int32_t *z,
                           int32_t n, int32_t m) {
    int32_t j = 0;
    const int32_t blocks = n >> 2, tail = n & 3;
    for (; j + 4 <= m; j += 4) {
        const unaligned_u32 *p0 = (const unaligned_u32 *)(w + j * n), *p1 = (const unaligned_u32 *)(w + (j + 1) * n);
        const unaligned_u32 *p2 = (const unaligned_u32 *)(w + (j + 2) * n), *p3 = (const unaligned_u32 *)(w + (j + 3) * n);
        const unaligned_u32 *px = (const unaligned_u32 *)x;
        int32_t s0 = b[j], s1 = b[j + 1], s2 = b[j + 2], s3 = b[j + 3];
        for (int32_t k = blocks; k > 0; k--) {
            uint32_t xv = *px++, xe = even(xv), xo = odd(xv);
            s0 = mac(*p0++, xe, xo, s0);
            s1 = mac(*p1++, xe, xo, s1);
            s2 = mac(*p2++, xe, xo, s2);
            s3 = mac(*p3++, xe, xo, s3);
        }
        const int8_t *t0 = (const int8_t *)p0, *t1 = (const int8_t *)p1, *t2 = (const int8_t *)p2;
        const int8_t *t3 = (const int8_t *)p3, *tx = (const int8_t *)px;
        for (int32_t i = 0; i < tail; i++) {
            s0 += t0[i] * tx[i]; s1 += t1[i] * tx[i]; s2 += t2[i] * tx[i]; s3 += t3[i] * tx[i];
        }
        z[j] = s0; z[j + 1] = s1; z[j + 2] = s2; z[j + 3] = s3;
    }
    for (; j < m; j++) {
        const unaligned_u32 *p0 = (const unaligned_u32 *)(w + j * n), *px = (const unaligned_u32 *)x;
        int32_t s0 = b[j];
        for (int32_t k = blocks; k > 0; k--) {
            uint32_t xv = *px++;
            s0 = mac(*p0++, even(xv), odd(xv), s0);
        }
        const int8_t *t0 = (const int8_t *)p0, *tx = (const int8_t *)px;
        for (int32_t i = 0; i < tail; i++) s0 += t0[i] * tx[i];
        z[j] = s0;
    }
}
#endif
