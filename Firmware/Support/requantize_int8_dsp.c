// Int8Kernels.requantize for Cortex-M4/M33/M7 (the DSP extension), the usual
// shift <= -2: a[j] = clamp(((hi32(z[j] * m[j]) + 2^(k-1)) >> k) + zeroPoint,
// lo, 127) with k = -1 - shift >= 1 (Requantization.multiply(_:by:half:k:)):
// smmul is hi32 (the high word of the exact product), ssat #8 the clamp to
// -128...127, and lo (-128 or the zero point, never above 127) the floor
// after it, which is min(max(y, lo), 127). |hi32| <= 2^30 and 2^(k-1) <= 2^29,
// so no sum wraps, as in the Swift expression. Two outputs a round. The core
// calls it only when compiled with -D TINYNN_DSP_INT8 (board.env of
// mps2-an386, mps2-an505, mps2-an500); elsewhere this file is empty. The
// Swift loop (Int8Kernels.requantizePortable) stays the definition, and the
// inference-int8 app compares the two at start-up (RequantizeCheck.swift).
#include "support.h"

#if defined(__ARM_FEATURE_DSP) && !defined(__ARM_FEATURE_MVE)
#include <arm_acle.h>

static inline int32_t tinynn_hi32(int32_t a, int32_t b) {
    int32_t r;
    __asm__("smmul %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static inline int8_t tinynn_requantize_one(int32_t z, int32_t m, int32_t half, int32_t k, int32_t zeroPoint,
                                           int32_t lo) {
    int32_t y = __ssat(((tinynn_hi32(z, m) + half) >> k) + zeroPoint, 8);
    return (int8_t)(y < lo ? lo : y);
}

/// z, m: [count]; a: [count]; k in 1...30; count >= 0.
void tinynn_requantize_int8_dsp(const int32_t *z, const int32_t *m, int8_t *a, int32_t count, int32_t k,
                                int32_t zeroPoint, int32_t lo) {
    const int32_t half = 1 << (k - 1);
    const int8_t *end = a + (count & ~1);
    while (a != end) {
        int32_t z0 = z[0], z1 = z[1], m0 = m[0], m1 = m[1];
        a[0] = tinynn_requantize_one(z0, m0, half, k, zeroPoint, lo);
        a[1] = tinynn_requantize_one(z1, m1, half, k, zeroPoint, lo);
        z += 2;
        m += 2;
        a += 2;
    }
    if (count & 1) a[0] = tinynn_requantize_one(z[0], m[0], half, k, zeroPoint, lo);
}

#endif
